<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>IssueDialog</name>
    <message>
        <location filename="../tasks/dialogs.py" line="+34"/>
        <source>Issue a task</source>
        <translation>下达任务</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Names separated by commas, e.g. self-check report</source>
        <translation>名称以逗号分隔，如：自查报告</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Content</source>
        <translation>任务内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deadline</source>
        <translation>要求完成时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deliverables</source>
        <translation>交付物</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receivers</source>
        <translation>下发范围</translation>
    </message>
</context>
<context>
    <name>ProgressDialog</name>
    <message>
        <location line="+31"/>
        <source>Submit results</source>
        <translation>反馈结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Report progress</source>
        <translation>报告进度</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>TasksArea</name>
    <message>
        <location filename="../tasks/area.py" line="+98"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All tasks</source>
        <translation>全部任务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Issued by us</source>
        <translation>本单位下达</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>收到的任务</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Issue task…</source>
        <translation>下达任务…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Report progress…</source>
        <translation>报告进度…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submit…</source>
        <translation>反馈…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urge</source>
        <translation>催办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve</source>
        <translation>审核通过</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Return…</source>
        <translation>退回…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <source>Deadline</source>
        <translation>要求完成时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urged</source>
        <translation>催办次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Submitted</source>
        <translation>反馈时间</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Select a task to see each receiver&apos;s progress.</source>
        <translation>选择一个任务，查看各接收单位的进度。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Issued by {issuer}, due {deadline}.</source>
        <translation>下达单位 {issuer}，要求 {deadline} 前完成。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Deliverables: {names}. Completion {done}/{total}.</source>
        <translation>交付物：{names}。完成 {done}/{total}。</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Decompose {number}</source>
        <translation>分解下发 {number}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Your unit is not a receiver of this task</source>
        <translation>本单位不是该任务的接收单位</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What must be corrected?</source>
        <translation>需要修改什么？</translation>
    </message>
</context>
</TS>
