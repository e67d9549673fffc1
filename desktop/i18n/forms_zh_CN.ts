<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>FormView</name>
    <message>
        <location filename="../forms/view.py" line="+107"/>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign (executor)…</source>
        <translation>作业人签字…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign (reviewer)…</source>
        <translation>审核人签字…</translation>
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
        <location line="+0"/>
        <source>PDF preview…</source>
        <translation>PDF 预览…</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Planned</source>
        <translation>待执行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In progress</source>
        <translation>执行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Completed, waiting for review</source>
        <translation>已完成，待审核</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reviewed</source>
        <translation>已归档</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{code} version {version} · {state}</source>
        <translation>{code} 版本 {version} · {state}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Incidents: {numbers}</source>
        <translation>关联事件：{numbers}</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Abnormal description (required)</source>
        <translation>异常描述（必填）</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+68"/>
        <source>Raise incident</source>
        <translation>生成事件</translation>
    </message>
    <message>
        <location line="-63"/>
        <location line="+36"/>
        <source>Sign…</source>
        <translation>签字…</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Photo… ({count})</source>
        <translation>照片…（{count}）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signed ✓</source>
        <translation>已签 ✓</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>signed</source>
        <translation>已签字</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not signed</source>
        <translation>未签字</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{abnormal} abnormal, {alarms} alarm</source>
        <translation>异常 {abnormal} 项，告警 {alarms} 项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All normal so far</source>
        <translation>目前全部正常</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Executor signature</source>
        <translation>作业人签字</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reviewer signature</source>
        <translation>审核人签字</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Attach a photo</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images and documents (*.png *.jpg *.jpeg *.pdf);;All (*)</source>
        <translation>图片和文档 (*.png *.jpg *.jpeg *.pdf);;全部 (*)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Return the form</source>
        <translation>退回表单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
</context>
<context>
    <name>FormsArea</name>
    <message>
        <location filename="../forms/area.py" line="+85"/>
        <source>Work forms</source>
        <translation>作业表单</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All forms</source>
        <translation>全部表单</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New form…</source>
        <translation>新建表单…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blank form PDF…</source>
        <translation>空白表单 PDF…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{count} forms</source>
        <translation>共 {count} 份表单</translation>
    </message>
</context>
<context>
    <name>NewRecordDialog</name>
    <message>
        <location filename="../forms/dialogs.py" line="+28"/>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Machine room</source>
        <translation>机房</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New work form</source>
        <translation>新建作业表单</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <location filename="../forms/preview.py" line="+77"/>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{pages} page(s)</source>
        <translation>共 {pages} 页</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
</context>
<context>
    <name>RecordListModel</name>
    <message>
        <location filename="../forms/model.py" line="+69"/>
        <source>Number</source>
        <translation>表单编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>Planned</source>
        <translation>待执行</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abnormal</source>
        <translation>异常项</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>In progress</source>
        <translation>执行中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Completed</source>
        <translation>待审核</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reviewed</source>
        <translation>已归档</translation>
    </message>
</context>
<context>
    <name>SignatureDialog</name>
    <message>
        <location filename="../forms/signature.py" line="+104"/>
        <source>Sign in the box with the mouse, a pen or a finger.</source>
        <translation>请用鼠标、手写笔或手指在框内签名。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
</context>
</TS>
