<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminArea</name>
    <message>
        <location filename="../admin/conflicts.py" line="+106"/>
        <source>Only administrators can open this area.

Your account ({user}) has no administrator role; ask your province&apos;s administrator to resolve sync conflicts.</source>
        <translation>只有管理员可以打开此区域。

您的账号（{user}）没有管理员角色；同步冲突请交由本省管理员处理。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open conflicts</source>
        <translation>待处理的冲突</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All conflicts</source>
        <translation>全部冲突</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep server value</source>
        <translation>保留服务器值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Take client value</source>
        <translation>采用客户端值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change to…</source>
        <translation>修改为…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Merge duplicates</source>
        <translation>合并重复记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Loading the conflict queue…</source>
        <translation>正在读取冲突队列…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{count} conflicts on {server}</source>
        <translation>{server} 上共 {count} 个冲突</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot reach the province server: check the network and try again. ({detail})</source>
        <translation>无法连接省级服务器：请检查网络后重试。（{detail}）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This store is not signed in to a server: sign in in the Sync area.</source>
        <translation>此本地库尚未登录服务器：请在“同步”区域登录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server no longer accepts this store&apos;s sign-in: sign in again in the Sync area.</source>
        <translation>服务器不再接受此本地库的登录：请在“同步”区域重新登录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only administrators can see the conflict queue: the server refused ({detail}).</source>
        <translation>只有管理员可以查看冲突队列：服务器拒绝了请求（{detail}）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server refused: {detail}</source>
        <translation>服务器拒绝：{detail}</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>{count} selected</source>
        <translation>已选 {count} 项</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Resolving…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} resolved; syncing so the result comes down.</source>
        <translation>已处理 {count} 个，正在同步以取回结果。</translation>
    </message>
</context>
<context>
    <name>ConflictDetail</name>
    <message>
        <location filename="../admin/detail.py" line="+41"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Common base value</source>
        <translation>共同的原值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server value</source>
        <translation>服务器值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Server value by</source>
        <translation>服务器值来自</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client value</source>
        <translation>客户端值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Client value by</source>
        <translation>客户端值来自</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Created</source>
        <translation>产生时间</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Select a conflict in the list.</source>
        <translation>请在列表中选择一个冲突。</translation>
    </message>
</context>
<context>
    <name>ConflictLabels</name>
    <message>
        <location filename="../admin/labels.py" line="+16"/>
        <source>Field conflict</source>
        <translation>字段冲突</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Illegal state change</source>
        <translation>非法状态变更</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edited after delete</source>
        <translation>删除后被修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deleted while edited</source>
        <translation>修改时被删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate record</source>
        <translation>重复记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected change</source>
        <translation>被拒绝的修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Auto-merged edits</source>
        <translation>已自动合并的修改</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Auto-merged</source>
        <translation>已自动合并</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>kept the server value</source>
        <translation>保留服务器值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>took the client value</source>
        <translation>采用客户端值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>changed by hand</source>
        <translation>手工修改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merged duplicates</source>
        <translation>合并重复记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ticket entry</source>
        <translation>工单记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration item</source>
        <translation>配置项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CI relation</source>
        <translation>配置项关系</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Org unit</source>
        <translation>组织</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+9"/>
        <source>Team</source>
        <translation>处理组</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Team member</source>
        <translation>处理组成员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Machine room</source>
        <translation>机房</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Room log</source>
        <translation>机房日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Work form</source>
        <translation>作业表单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caller</source>
        <translation>报障人</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The client value is in place for now</source>
        <translation>暂以客户端值为准</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server value is in place for now</source>
        <translation>暂以服务器值为准</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The record was deleted; the edit is kept here and the record can be restored</source>
        <translation>记录已被删除；修改内容保存在此，可恢复该记录</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleted while another node edited it; the delete is in place</source>
        <translation>在其他节点修改时被删除；暂以删除为准</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(unknown)</source>
        <translation>（未知）</translation>
    </message>
</context>
<context>
    <name>ConflictTableModel</name>
    <message>
        <location filename="../admin/model.py" line="+45"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Server value</source>
        <translation>服务器值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client value</source>
        <translation>客户端值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Client author / node</source>
        <translation>客户端作者 / 节点</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Created</source>
        <translation>产生时间</translation>
    </message>
</context>
<context>
    <name>EditValueDialog</name>
    <message>
        <location filename="../admin/dialogs.py" line="+62"/>
        <source>Change to…</source>
        <translation>修改为…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The value “{field}” gets on every node:</source>
        <translation>“{field}”在所有节点上的新值：</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../login.py" line="+98"/>
        <source>ITOps — Sign in</source>
        <translation>ITOps — 登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ITOps integrated IT operations</source>
        <translation>ITOps 一体化IT运维服务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local store: {path}</source>
        <translation>本地数据库：{path}</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+28"/>
        <source>Wrong username or password</source>
        <translation>用户名或密码错误</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Too many wrong passwords: try again in {seconds} s</source>
        <translation>密码错误次数过多，请在 {seconds} 秒后重试</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Enter your username and password</source>
        <translation>请输入用户名和密码</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="+77"/>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dispatch board</source>
        <translation>调度台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service management</source>
        <translation>服务管理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CMDB</source>
        <translation>配置(CMDB)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Work forms</source>
        <translation>作业表单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Machine rooms</source>
        <translation>机房</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Plans / tasks</source>
        <translation>计划/任务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Administration</source>
        <translation>管理</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ITOps — IT service management</source>
        <translation>ITOps — 一体化IT运维服务</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../placeholder.py" line="+34"/>
        <source>CMDB</source>
        <translation>配置(CMDB)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration items, their relations and the impact of changes.</source>
        <translation>配置项、配置项之间的关系以及变更的影响分析。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Work forms</source>
        <translation>作业表单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The 11 SOP work forms: fill in, check and print them.</source>
        <translation>11 种 SOP 作业表单：填写、检查与打印。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Machine rooms</source>
        <translation>机房</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Machine rooms, racks and devices; inspections and commissioning.</source>
        <translation>机房、机柜与设备；巡检与设备投运。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plans and tasks</source>
        <translation>计划与任务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Maintenance plans and the tasks they generate.</source>
        <translation>维护计划及其生成的任务。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service reports, KPIs and PDF exports.</source>
        <translation>服务报告、KPI 指标与 PDF 导出。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Synchronisation with the province server and its history.</source>
        <translation>与省公司服务器的数据同步及同步记录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administration</source>
        <translation>管理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Users, roles, teams and the conflict queue.</source>
        <translation>用户、角色、处理组与冲突队列。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This area will be provided in a later version.</source>
        <translation>此区域将在后续版本提供。</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../status.py" line="+36"/>
        <source>User: {name}</source>
        <translation>用户：{name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Org: {name} {path}</source>
        <translation>单位：{name} {path}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>SyncArea</name>
    <message>
        <location filename="../sync/area.py" line="+95"/>
        <source>Synchronisation with the province server</source>
        <translation>与省级服务器同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Signed in as</source>
        <translation>登录用户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Scope</source>
        <translation>同步范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last sync</source>
        <translation>上次同步</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last error</source>
        <translation>上次错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting to upload</source>
        <translation>待上传</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cursor</source>
        <translation>同步游标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Syncs so far</source>
        <translation>已同步次数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign in to the server</source>
        <translation>登录服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server URL</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign in and sync</source>
        <translation>登录并同步</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>desktop store</source>
        <translation>桌面本地库</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>province server</source>
        <translation>省级服务器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} changes</source>
        <translation>{count} 条更改</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The server no longer accepts this store&apos;s sign-in. Sign in again to keep syncing.</source>
        <translation>服务器不再接受此本地库的登录。请重新登录以继续同步。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This store is not signed in to a server yet. Sign in with your ITOps account to sync.</source>
        <translation>此本地库尚未登录服务器。请用您的 ITOps 账号登录后同步。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Enter the server URL, your username and your password.</source>
        <translation>请输入服务器地址、用户名和密码。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Signed in; syncing…</source>
        <translation>已登录，正在同步…</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../sync/controller.py" line="+150"/>
        <source>Syncing…</source>
        <translation>同步中…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Syncing… pushed {done}/{total}</source>
        <translation>同步中… 上传 {done}/{total}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Syncing… first download {done}/{total}</source>
        <translation>同步中… 首次下载 {done}/{total}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Syncing… pulled {count}</source>
        <translation>同步中… 下载 {count}</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+49"/>
        <source>Sync failed: {error}</source>
        <translation>同步失败：{error}</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>The server refused the sign-in: wrong username or password.</source>
        <translation>服务器拒绝登录：用户名或密码错误。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The server refused the sign-in: {reason}</source>
        <translation>服务器拒绝登录：{reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot reach the server at {url}. Check the address and the network.</source>
        <translation>无法连接服务器 {url}，请检查地址和网络。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign-in failed: {error}</source>
        <translation>登录失败：{error}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Offline: the server cannot be reached. Your changes are kept and are sent at the next sync.</source>
        <translation>离线：无法连接服务器。您的更改已保存在本地，将在下次同步时上传。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The server asks you to sign in again: open the Sync area.</source>
        <translation>服务器要求重新登录：请打开“同步”区域。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Synced: {pushed} sent, {pulled} received, {conflicts} conflicts for the administrator</source>
        <translation>已同步：上传 {pushed} 条，下载 {pulled} 条，{conflicts} 个冲突待管理员处理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Synced: {pushed} sent, {pulled} received</source>
        <translation>已同步：上传 {pushed} 条，下载 {pulled} 条</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Never synced · {count} to upload</source>
        <translation>尚未同步 · 待上传 {count}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last sync {time} · {count} to upload</source>
        <translation>上次同步 {time} · 待上传 {count}</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../app.py" line="+134"/>
        <source>Cannot open the ITOps store in {path}.
{reason}

Create one with “itops demo” or “itops sync”, or choose another folder with --store.</source>
        <translation>无法打开 {path} 中的 ITOps 数据库。
{reason}

请用“itops demo”或“itops sync”创建，或用 --store 选择其他文件夹。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>ITOps</source>
        <translation>ITOps</translation>
    </message>
</context>
<context>
    <name>ops</name>
    <message>
        <location filename="../ops.py" line="+65"/>
        <source>Unexpected error: {error}</source>
        <translation>意外错误：{error}</translation>
    </message>
</context>
</TS>
