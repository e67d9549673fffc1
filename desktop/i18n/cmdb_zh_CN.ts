<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CIDetail</name>
    <message>
        <location filename="../cmdb/detail.py" line="+144"/>
        <source>Select a configuration item to see its details.</source>
        <translation>选择一个配置项查看详情。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lifecycle:</source>
        <translation>生命周期：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Relations</source>
        <translation>关系</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Impact</source>
        <translation>影响分析</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service history</source>
        <translation>履历</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Records</source>
        <translation>记录文件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attribute</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>CI</source>
        <translation>配置项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save record…</source>
        <translation>保存记录…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What breaks if it fails</source>
        <translation>故障影响（下游）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What it depends on</source>
        <translation>依赖（上游）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Depth</source>
        <translation>深度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Analyse</source>
        <translation>分析</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>{count} CIs impacted</source>
        <translation>受影响配置项 {count} 个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} CIs it depends on</source>
        <translation>依赖配置项 {count} 个</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; {spared} kept up by redundancy</source>
        <translation>；{spared} 个因冗余未受影响</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Save record</source>
        <translation>保存记录</translation>
    </message>
</context>
<context>
    <name>CIListModel</name>
    <message>
        <location filename="../cmdb/model.py" line="+63"/>
        <source>Asset tag</source>
        <translation>资产编号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>IP</source>
        <translation>IP地址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Location</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>CmdbArea</name>
    <message>
        <location filename="../cmdb/area.py" line="+99"/>
        <source>All classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Location…</source>
        <translation>位置…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name, asset tag or IP…</source>
        <translation>名称、资产编号或IP…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{shown} of {total} CIs</source>
        <translation>已显示 {shown} / 共 {total} 个配置项</translation>
    </message>
</context>
<context>
    <name>LifecycleDialog</name>
    <message>
        <location filename="../cmdb/dialogs.py" line="+38"/>
        <source>{action}: {ci}</source>
        <translation>{action}：{ci}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A PDF record of this action is attached to the configuration item.</source>
        <translation>本操作的PDF记录将作为附件保存到该配置项。</translation>
    </message>
</context>
</TS>
