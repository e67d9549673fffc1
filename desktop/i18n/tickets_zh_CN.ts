<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArticleDialog</name>
    <message>
        <location filename="../tickets/links.py" line="+102"/>
        <source>Solved with article</source>
        <translation>知识解决</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search published articles by title, number or category…</source>
        <translation>按标题、编号或分类搜索已发布的知识…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Choose an article</source>
        <translation>请选择一篇知识</translation>
    </message>
</context>
<context>
    <name>ChangeCalendar</name>
    <message>
        <location filename="../tickets/analysis.py" line="+181"/>
        <source>Change calendar</source>
        <translation>变更日历</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Window</source>
        <translation>时间窗口</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change</source>
        <translation>变更</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CIs</source>
        <translation>配置项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Clashes with {changes}</source>
        <translation>与 {changes} 冲突</translation>
    </message>
</context>
<context>
    <name>CiPicker</name>
    <message>
        <location filename="../tickets/editors.py" line="+258"/>
        <source>Search by name, asset tag or IP…</source>
        <translation>按名称、资产编号或 IP 搜索…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
</context>
<context>
    <name>ClockPanel</name>
    <message>
        <location filename="../tickets/clocks.py" line="+61"/>
        <source>This process has no SLA clocks.</source>
        <translation>该流程没有 SLA 时钟。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escalation notices</source>
        <translation>升级通知</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{elapsed} of {target}</source>
        <translation>已用 {elapsed} / 时限 {target}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no target</source>
        <translation>无时限</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>overdue</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{used} · {status} · due {deadline}</source>
        <translation>{used} · {status} · 截止 {deadline}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>met</source>
        <translation>已达成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>breached</source>
        <translation>已超时</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
</context>
<context>
    <name>FieldsDialog</name>
    <message>
        <location filename="../tickets/dialogs.py" line="+129"/>
        <source>Fill in: {fields}</source>
        <translation>请填写：{fields}</translation>
    </message>
</context>
<context>
    <name>LinksPanel</name>
    <message>
        <location filename="../tickets/links.py" line="-84"/>
        <source>Parent: </source>
        <translation>父工单：</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Child: </source>
        <translation>子工单：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No linked tickets</source>
        <translation>没有关联工单</translation>
    </message>
</context>
<context>
    <name>NewTicketDialog</name>
    <message>
        <location filename="../tickets/dialogs.py" line="+78"/>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Process</source>
        <translation>流程</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Will be linked to: {tickets}</source>
        <translation>创建后将关联：{tickets}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enter a title</source>
        <translation>请输入标题</translation>
    </message>
</context>
<context>
    <name>ProposalsPanel</name>
    <message>
        <location filename="../tickets/analysis.py" line="-132"/>
        <source>Problem proposals (same CI or category, ≥ 3 incidents in 30 days)</source>
        <translation>问题建议（同一配置项或分类 30 天内 ≥ 3 起事件）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grouped by</source>
        <translation>归类</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Incidents</source>
        <translation>事件数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tickets</source>
        <translation>工单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create problem from proposal…</source>
        <translation>按建议创建问题单…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>CI: {name}</source>
        <translation>配置项：{name}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Category: {name}</source>
        <translation>分类：{name}</translation>
    </message>
</context>
<context>
    <name>SavedFiltersBar</name>
    <message>
        <location filename="../tickets/saved_filters.py" line="+86"/>
        <source>Saved filters</source>
        <translation>已保存的筛选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filters</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save current filter…</source>
        <translation>保存当前筛选…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Save filter</source>
        <translation>保存筛选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name of the filter:</source>
        <translation>筛选名称：</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Rename filter</source>
        <translation>重命名筛选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Delete filter</source>
        <translation>删除筛选</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Delete the saved filter “{name}”?</source>
        <translation>删除已保存的筛选“{name}”？</translation>
    </message>
</context>
<context>
    <name>Supervision</name>
    <message>
        <location filename="../tickets/clocks.py" line="+18"/>
        <source>{clock} overdue ({percent} %): escalate to tier {line}; the duty lead is notified</source>
        <translation>{clock}超时（{percent}%）：建议升级至{line}线处理，已通知值班长</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{clock}: {percent} % of the time used; the duty lead should keep an eye on it</source>
        <translation>{clock}时限已用 {percent}%，请值班长关注</translation>
    </message>
</context>
<context>
    <name>TicketDetail</name>
    <message>
        <location filename="../tickets/detail.py" line="+128"/>
        <source>Select a ticket to see its details.</source>
        <translation>请选择一张工单查看详情。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Link…</source>
        <translation>关联…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Solved with article…</source>
        <translation>知识解决…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SLA clocks</source>
        <translation>SLA 时钟</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Linked tickets</source>
        <translation>关联工单</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Process</source>
        <translation>流程</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opened</source>
        <translation>打开时间</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Edit {number}</source>
        <translation>编辑 {number}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ticket number</source>
        <translation>工单编号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Link {number} to…</source>
        <translation>将 {number} 关联到…</translation>
    </message>
    <message>
        <location line="-176"/>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>{priority} (impact {impact}, urgency {urgency})</source>
        <translation>{priority}（影响度 {impact}，紧急度 {urgency}）</translation>
    </message>
</context>
<context>
    <name>TicketFields</name>
    <message>
        <location filename="../tickets/fields.py" line="+52"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Impact</source>
        <translation>影响范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgency</source>
        <translation>紧急度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Origin</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caller</source>
        <translation>报告人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Team</source>
        <translation>处理组</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Assignee</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration item</source>
        <translation>配置项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Parent ticket</source>
        <translation>父工单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>E-mail</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Portal</source>
        <translation>门户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Monitoring</source>
        <translation>监控</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In person</source>
        <translation>当面</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Inspection</source>
        <translation>巡检</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>TicketListModel</name>
    <message>
        <location filename="../tickets/model.py" line="+89"/>
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
    <name>TicketRefEditor</name>
    <message>
        <location filename="../tickets/editors.py" line="-48"/>
        <source>Ticket number, e.g. KB-GD-000001</source>
        <translation>工单编号，如 KB-GD-000001</translation>
    </message>
</context>
<context>
    <name>TicketsArea</name>
    <message>
        <location filename="../tickets/area.py" line="+141"/>
        <source>All processes</source>
        <translation>全部流程</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search title or number…</source>
        <translation>搜索标题或编号…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New ticket</source>
        <translation>新建工单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Full-text search</source>
        <translation>全文检索</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>{shown} of {total} tickets</source>
        <translation>已显示 {shown} / 共 {total} 张工单</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../tickets/timeline.py" line="+43"/>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Comment: {text}</source>
        <translation>备注：{text}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Work log: {text}</source>
        <translation>工作日志：{text}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Escalation: {text}</source>
        <translation>升级：{text}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Linked to {ticket} ({process})</source>
        <translation>关联到 {ticket}（{process}）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Created</source>
        <translation>创建</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Updated: {fields}</source>
        <translation>修改：{fields}</translation>
    </message>
</context>
</TS>
