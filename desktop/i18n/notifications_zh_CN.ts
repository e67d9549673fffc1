<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>InformationMenu</name>
    <message>
        <location filename="../notifications/menu.py" line="+48"/>
        <source>&amp;Information</source>
        <translation>信息(&amp;I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Notifications ({count} unread)</source>
        <translation>通知（{count} 条未读）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>Rules and standards library</source>
        <translation>制度与标准库</translation>
    </message>
</context>
<context>
    <name>NotificationsPanel</name>
    <message>
        <location filename="../notifications/panel.py" line="+76"/>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unread only</source>
        <translation>只看未读</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark all read</source>
        <translation>全部标为已读</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Read</source>
        <translation>已读</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
</context>
</TS>
