<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BoardArea</name>
    <message>
        <location filename="../board/area.py" line="+108"/>
        <source>Tier 1</source>
        <translation>一线</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Awaiting dispatch</source>
        <translation>待派工</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tier 2</source>
        <translation>二线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tier 3</source>
        <translation>三线</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pending</source>
        <translation>挂起</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Team</source>
        <translation>处理组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All teams</source>
        <translation>全部处理组</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervise now</source>
        <translation>立即监督</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervision: warnings and escalations written</source>
        <translation>过程监督：已写入的预警与升级</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>{name} (tier {line})</source>
        <translation>{name}（{line}线）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{title} ({count})</source>
        <translation>{title}（{count}）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>no team</source>
        <translation>未分组</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{clock}: {percent}</source>
        <translation>{clock}：{percent}</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Escalation: {text}</source>
        <translation>升级：{text}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning: {text}</source>
        <translation>预警：{text}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No warning or escalation was due.</source>
        <translation>没有到期的预警或升级。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing written yet: run “Supervise now”.</source>
        <translation>尚未写入：请点“立即监督”。</translation>
    </message>
</context>
</TS>
