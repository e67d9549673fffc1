<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ReadingsChart</name>
    <message>
        <location filename="../rooms/chart.py" line="+34"/>
        <source>No readings yet</source>
        <translation>暂无读数</translation>
    </message>
</context>
<context>
    <name>RoomsArea</name>
    <message>
        <location filename="../rooms/area.py" line="+177"/>
        <source>Overview</source>
        <translation>概况</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Duty log</source>
        <translation>值班日志</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Access register</source>
        <translation>出入登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Environment</source>
        <translation>环境读数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Inspection calendar</source>
        <translation>巡检日历</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Entry</source>
        <translation>记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hand over to</source>
        <translation>交接给</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open issues</source>
        <translation>遗留问题</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Visitor</source>
        <translation>访客</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Company</source>
        <translation>单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Escort</source>
        <translation>陪同人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Purpose</source>
        <translation>事由</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write to the duty log</source>
        <translation>写入值班日志</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register entry</source>
        <translation>登记进入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register exit of the selected visitor</source>
        <translation>登记所选访客离开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log reading</source>
        <translation>记录读数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New machine room…</source>
        <translation>新建机房…</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>{name} · grade {grade} · {address} · U used {used}</source>
        <translation>{name} · {grade}级 · {address} · U位使用率 {used}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>inside</source>
        <translation>仍在机房</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+3"/>
        <location line="+3"/>
        <source>New machine room</source>
        <translation>新建机房</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Code (e.g. LH-JF02):</source>
        <translation>机房编号（如 LH-JF02）：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Grade (GB 50174):</source>
        <translation>等级（GB 50174）：</translation>
    </message>
</context>
</TS>
