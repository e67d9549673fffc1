<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>PlanDialog</name>
    <message>
        <location filename="../plans/dialog.py" line="+117"/>
        <source>Edit plan</source>
        <translation>编辑计划</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New plan</source>
        <translation>新建计划</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SOP form records</source>
        <translation>作业表单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tasks (work without a form)</source>
        <translation>任务（无表单的工作）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Daily</source>
        <translation>每天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weekly</source>
        <translation>每周</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Monthly</source>
        <translation>每月</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarterly</source>
        <translation>每季度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Yearly</source>
        <translation>每年</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Once</source>
        <translation>一次</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Spawns</source>
        <translation>生成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Form template</source>
        <translation>表单模板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Machine room</source>
        <translation>机房</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shifts</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Task title</source>
        <translation>任务标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Content</source>
        <translation>任务内容</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target units</source>
        <translation>下发单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Days to finish</source>
        <translation>完成期限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Deliverables</source>
        <translation>成果要求</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>任务来源</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Repeats</source>
        <translation>周期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Starts</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ends</source>
        <translation>结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last day</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. day@08:30, night@20:30 (empty: one record at 09:00)</source>
        <translation>例如 白班@08:30, 夜班@20:30（留空：每天 09:00 一份）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default: the plan name</source>
        <translation>默认为计划名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Names separated by commas</source>
        <translation>多个名称用逗号分隔</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> days after the due day</source>
        <translation> 天（自计划日起）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move due days off weekends and public holidays</source>
        <translation>遇周末和法定节假日顺延至工作日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The plan has a last day</source>
        <translation>计划有结束日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>None checked: the plan&apos;s own unit</source>
        <translation>不勾选：下发给本单位</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Weekday 1 (Monday) – 7 (Sunday)</source>
        <translation>星期 1（周一）– 7（周日）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Day of the month (31: the last day of shorter months)</source>
        <translation>每月第几日（31：小月取月末）</translation>
    </message>
</context>
<context>
    <name>PlansTab</name>
    <message>
        <location filename="../plans/tab.py" line="+114"/>
        <source>Plans</source>
        <translation>计划</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New plan…</source>
        <translation>新建计划…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Submit for approval</source>
        <translation>提交审批</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reject</source>
        <translation>退回</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel plan</source>
        <translation>取消计划</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close plan</source>
        <translation>关闭计划</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Create the work that is due</source>
        <translation>生成到期工作</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Work</source>
        <translation>工作内容</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeats</source>
        <translation>周期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>On time</source>
        <translation>按期完成率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Green: done · yellow: due · red: overdue</source>
        <translation>绿色：已完成 · 黄色：待完成 · 红色：已逾期</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In review</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Published</source>
        <translation>已发布</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>执行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Daily</source>
        <translation>每天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weekly, day {day}</source>
        <translation>每周，星期{day}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Monthly, day {day}</source>
        <translation>每月，{day}日</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quarterly, day {day}</source>
        <translation>每季度，首月{day}日</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yearly, day {day}</source>
        <translation>每年，{day}日</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Once</source>
        <translation>一次</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>due</source>
        <translation>待完成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Task → {units}</source>
        <translation>任务 → {units}</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>(not created yet)</source>
        <translation>（尚未生成）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{plan}{shift}: {work} — {done}/{total} {status}</source>
        <translation>{plan}{shift}: {work} — {done}/{total} {status}</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Created {records} form records and {tasks} tasks.</source>
        <translation>已生成 {records} 张表单、{tasks} 项任务。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing new was due.</source>
        <translation>没有需要新生成的工作。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Plan {number} {name} could not create its work: {reason}</source>
        <translation>计划 {number} {name} 无法生成工作：{reason}</translation>
    </message>
</context>
</TS>
