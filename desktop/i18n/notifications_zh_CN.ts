<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EventLogPanel</name>
    <message>
        <location filename="../notifications/events.py" line="+75"/>
        <source>Alerts from the monitoring systems and what became of them</source>
        <translation>监控系统告警及处理结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CI name or IP</source>
        <translation>配置项名称或IP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CI</source>
        <translation>配置项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>incident opened</source>
        <translation>已开事件单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>repeat: incident updated</source>
        <translation>重复告警：已更新事件单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fired again</source>
        <translation>再次告警</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>incident reopened</source>
        <translation>事件单已重新打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recovered: incident resolved</source>
        <translation>已恢复：事件单已解决</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>recovered: closed</source>
        <translation>已恢复：已关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recovery recorded</source>
        <translation>已记录恢复</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>logged only</source>
        <translation>仅记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>recovery of an unknown alert</source>
        <translation>未知告警的恢复</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>firing</source>
        <translation>告警</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>resolved</source>
        <translation>已恢复</translation>
    </message>
</context>
<context>
    <name>InformationMenu</name>
    <message>
        <location filename="../notifications/menu.py" line="+55"/>
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
        <location line="+2"/>
        <source>Rules and standards library</source>
        <translation>制度与标准库</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+2"/>
        <source>Monitoring events</source>
        <translation>监控事件</translation>
    </message>
</context>
<context>
    <name>NotificationsPanel</name>
    <message>
        <location filename="../notifications/panel.py" line="+79"/>
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
        <source>Settings…</source>
        <translation>设置…</translation>
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
<context>
    <name>PrefsDialog</name>
    <message>
        <location filename="../notifications/prefs.py" line="+33"/>
        <source>Notification settings</source>
        <translation>通知设置</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Email</source>
        <translation>邮件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quiet hours (only P1 comes through)</source>
        <translation>免打扰时段（仅 P1 照常通知）</translation>
    </message>
</context>
</TS>
