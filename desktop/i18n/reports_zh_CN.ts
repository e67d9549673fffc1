<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnalysisDialog</name>
    <message>
        <location filename="../reports/area.py" line="+50"/>
        <source>Analysis</source>
        <translation>分析结论</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suggestions</source>
        <translation>改进建议</translation>
    </message>
</context>
<context>
    <name>BigScreen</name>
    <message>
        <location filename="../reports/screen.py" line="+81"/>
        <source>{org} — IT operations {period}</source>
        <translation>{org} — 信息运维 {period}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open incidents (SLA breached)</source>
        <translation>未关闭事件 (超 SLA)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tasks: {open} open, {done}/{total} receivers done, {overdue} overdue</source>
        <translation>任务：在办 {open} 项，完成 {done}/{total} 个单位，逾期 {overdue}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Security events</source>
        <translation>安全事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No open security events</source>
        <translation>无在办安全事件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Score by unit</source>
        <translation>各单位得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated {at} · outbox {outbox} · open conflicts {conflicts}</source>
        <translation>更新于 {at} · 待上传 {outbox} · 未处理冲突 {conflicts}</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../reports/dashboard.py" line="+100"/>
        <source>Period</source>
        <translation>统计周期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>本期值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{org}: overall score {score}</source>
        <translation>{org}：综合得分 {score}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Overall score by unit</source>
        <translation>各单位综合得分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Overall score by month</source>
        <translation>各月综合得分</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>manual entry</source>
        <translation>人工录入</translation>
    </message>
</context>
<context>
    <name>RecordsDialog</name>
    <message>
        <location line="-100"/>
        <source>{name}: {value} ({numerator} / {denominator}) — {formula}</source>
        <translation>{name}：{value}（{numerator} / {denominator}）— {formula}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>(no records)</source>
        <translation>(无记录)</translation>
    </message>
</context>
<context>
    <name>ReportsArea</name>
    <message>
        <location filename="../reports/area.py" line="+57"/>
        <source>KPI dashboard</source>
        <translation>指标看板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Big screen</source>
        <translation>大屏展示</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Draft from data</source>
        <translation>按数据生成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Edit analysis…</source>
        <translation>编写分析…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Review</source>
        <translation>本级审核</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Submit upward</source>
        <translation>上报</translation>
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
        <source>PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Period</source>
        <translation>统计周期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Submitted</source>
        <translation>反馈时间</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Return</source>
        <translation>退回</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What must be corrected?</source>
        <translation>需要修改什么？</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save report as PDF</source>
        <translation>报告另存为 PDF</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
</context>
</TS>
