<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TicketPageModel</name>
    <message>
        <location filename="../search/model.py" line="+91"/>
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
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Opened</source>
        <translation>创建时间</translation>
    </message>
</context>
<context>
    <name>TicketSearch</name>
    <message>
        <location filename="../search/widget.py" line="+65"/>
        <source>Search titles, descriptions, solutions and knowledge…</source>
        <translation>搜索标题、描述、解决方案和知识库…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All processes</source>
        <translation>全部流程</translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n 条结果</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>More than {count} results</source>
        <translation>超过 {count} 条结果</translation>
    </message>
</context>
</TS>
