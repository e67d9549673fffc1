<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>LibraryPanel</name>
    <message>
        <location filename="../library/panel.py" line="+88"/>
        <source>Rules, standards and work instructions</source>
        <translation>管理制度、技术标准与作业指导书</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Management rules</source>
        <translation>管理制度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Technical standards</source>
        <translation>技术标准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Work instructions</source>
        <translation>作业指导书</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Edition</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Effective</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Issued by</source>
        <translation>发布单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save a copy…</source>
        <translation>另存副本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I have read it</source>
        <translation>我已阅读</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Select a document.</source>
        <translation>请选择一份文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Management rule</source>
        <translation>管理制度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Technical standard</source>
        <translation>技术标准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Work instruction</source>
        <translation>作业指导书</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{code} {title}
{kind} · edition {edition} · effective {date}
Issued by {unit}
{summary}</source>
        <translation>{code} {title}
{kind} · 版本 {edition} · {date} 起施行
发布单位：{unit}
{summary}</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Saved {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save a copy</source>
        <translation>另存副本</translation>
    </message>
</context>
</TS>
