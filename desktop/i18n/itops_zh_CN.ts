<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FieldsDialog</name>
    <message>
        <location filename="../tickets/dialogs.py" line="+57"/>
        <source>Team</source>
        <translation>处理组</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason for the hold</source>
        <translation>挂起原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolution code</source>
        <translation>解决代码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Solution</source>
        <translation>解决方案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>“{action}” needs these fields:</source>
        <translation>“{action}”需要填写以下字段：</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../login.py" line="+90"/>
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
        <location line="+25"/>
        <source>Wrong username or password</source>
        <translation>用户名或密码错误</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Enter your username and password</source>
        <translation>请输入用户名和密码</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="+75"/>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CMDB</source>
        <translation>配置(CMDB)</translation>
    </message>
    <message>
        <location line="+0"/>
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
    <name>NewTicketDialog</name>
    <message>
        <location filename="../tickets/dialogs.py" line="+59"/>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Process</source>
        <translation>流程</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Impact</source>
        <translation>影响度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urgency</source>
        <translation>紧急度</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>1 — High</source>
        <translation>1 — 高</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>2 — Medium</source>
        <translation>2 — 中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>3 — Low</source>
        <translation>3 — 低</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Enter a title</source>
        <translation>请输入标题</translation>
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
    <name>TicketDetail</name>
    <message>
        <location filename="../tickets/detail.py" line="+91"/>
        <source>Select a ticket to see its details.</source>
        <translation>请选择一张工单查看详情。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Process</source>
        <translation>流程</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opened</source>
        <translation>打开时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Caller</source>
        <translation>报告人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>{priority} (impact {impact}, urgency {urgency})</source>
        <translation>{priority}（影响度 {impact}，紧急度 {urgency}）</translation>
    </message>
</context>
<context>
    <name>TicketListModel</name>
    <message>
        <location filename="../tickets/model.py" line="+144"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Process</source>
        <translation>流程</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Opened</source>
        <translation>打开时间</translation>
    </message>
</context>
<context>
    <name>TicketsArea</name>
    <message>
        <location filename="../tickets/area.py" line="+98"/>
        <source>All processes</source>
        <translation>全部流程</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search title or number…</source>
        <translation>搜索标题或编号…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>{shown} of {total} tickets</source>
        <translation>已显示 {shown} / 共 {total} 张工单</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../tickets/timeline.py" line="+34"/>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Comment: {text}</source>
        <translation>备注：{text}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Work log: {text}</source>
        <translation>工作日志：{text}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Updated: {fields}</source>
        <translation>修改：{fields}</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../app.py" line="+94"/>
        <source>Cannot open the ITOps store in {path}.
{reason}

Create one with “itops demo” or “itops sync”, or choose another folder with --store.</source>
        <translation>无法打开 {path} 中的 ITOps 数据库。
{reason}

请用“itops demo”或“itops sync”创建，或用 --store 选择其他文件夹。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>ITOps</source>
        <translation>ITOps</translation>
    </message>
</context>
<context>
    <name>ops</name>
    <message>
        <location filename="../ops.py" line="+63"/>
        <source>Unexpected error: {error}</source>
        <translation>意外错误：{error}</translation>
    </message>
</context>
</TS>
