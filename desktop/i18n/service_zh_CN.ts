<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BusinessPage</name>
    <message>
        <location filename="../service/business.py" line="+105"/>
        <source>{total} ({open} open)</source>
        <translation>{total}（{open} 件未结）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Services used by {unit}:</source>
        <translation>{unit}使用的服务：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>(not in the service catalogue)</source>
        <translation>(不在服务目录中)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Survey results of:</source>
        <translation>回访结果范围：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the last 90 days</source>
        <translation>最近 90 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the last 12 months</source>
        <translation>最近 12 个月</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Business unit</source>
        <translation>业务部门</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>IT liaison</source>
        <translation>信息联络员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services used</source>
        <translation>使用的服务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Surveys</source>
        <translation>回访数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Average score</source>
        <translation>平均分</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Satisfied</source>
        <translation>满意率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Criticality</source>
        <translation>重要程度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service hours</source>
        <translation>服务时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Availability target (%)</source>
        <translation>可用性目标(%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-up surveys score 1 (very satisfied) to 4 (dissatisfied); “satisfied” counts scores 1 and 2. Units under 80 % satisfied are highlighted.</source>
        <translation>服务回访评分 1（非常满意）至 4（不满意）；“满意”统计 1 分和 2 分。满意率低于 80% 的部门突出显示。</translation>
    </message>
</context>
<context>
    <name>CapacityPage</name>
    <message>
        <location filename="../service/capacity.py" line="+142"/>
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filling up within 30 days</source>
        <translation>30 天内将耗尽</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Expand or tune the resource (raise a change)</source>
        <translation>扩容或调优（提交变更）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Capacity proposals ({n})</source>
        <translation>容量建议（{n}）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{slope:+.2f} points/day</source>
        <translation>{slope:+.2f} 个百分点/天</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not rising</source>
        <translation>未上升</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Utilisation trend (last 90 days)</source>
        <translation>利用率趋势（最近 90 天）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration item:</source>
        <translation>配置项：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record a reading…</source>
        <translation>录入读数…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CI</source>
        <translation>配置项</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+3"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+3"/>
        <source>Latest</source>
        <translation>最新值</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning / alarm</source>
        <translation>预警/告警</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Projected full</source>
        <translation>预计耗尽</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Proposal</source>
        <translation>建议</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning (%)</source>
        <translation>预警(%)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm (%)</source>
        <translation>告警(%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Readings</source>
        <translation>读数个数</translation>
    </message>
</context>
<context>
    <name>CataloguePage</name>
    <message>
        <location filename="../service/catalogue.py" line="+156"/>
        <source>{total} entries ({inherited} inherited)</source>
        <translation>共 {total} 条（{inherited} 条继承）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Search code or name…</source>
        <translation>搜索编码或名称…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New entry</source>
        <translation>新建条目</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <location filename="../service/form.py" line="+195"/>
        <source>New {kind}</source>
        <translation>新建{kind}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{kind} {code}</source>
        <translation>{kind} {code}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Inherited from {org}: it applies to your unit and is read-only here. To change it for your unit, override it with an entry of the same code.</source>
        <translation>继承自{org}：适用于本单位，在此只读。如需为本单位修改，请用相同编码的条目覆盖。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your unit already overrides it.</source>
        <translation>本单位已覆盖该条目。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Owned by</source>
        <translation>所属单位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Override for my unit</source>
        <translation>在本单位覆盖</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>生效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unticked: the entry is kept but no longer applied.</source>
        <translation>不勾选：保留该条目但不再适用。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Enter a name.</source>
        <translation>请输入名称。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Delete entry</source>
        <translation>删除条目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete {code} ({name})? Units below yours stop inheriting it.</source>
        <translation>删除 {code}（{name}）？下级单位将不再继承该条目。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Deleted.</source>
        <translation>已删除。</translation>
    </message>
</context>
<context>
    <name>EntryListModel</name>
    <message>
        <location filename="../service/model.py" line="+112"/>
        <source>Inherited from {org}: it applies here and is read-only.</source>
        <translation>继承自{org}：在本单位适用，只读。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{org} (inherited)</source>
        <translation>{org}（继承）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Overridden here</source>
        <translation>已被本单位覆盖</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In force</source>
        <translation>生效</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Inactive</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Owned by</source>
        <translation>所属单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>RecordReadingDialog</name>
    <message>
        <location filename="../service/capacity.py" line="+61"/>
        <source>Record a utilisation reading</source>
        <translation>录入利用率读数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration item</source>
        <translation>配置项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Utilisation</source>
        <translation>利用率</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Measured at</source>
        <translation>测量时间</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Record</source>
        <translation>录入</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose a configuration item from the list.</source>
        <translation>请从列表中选择配置项。</translation>
    </message>
</context>
<context>
    <name>ServiceArea</name>
    <message>
        <location filename="../service/area.py" line="+48"/>
        <source>Catalogue</source>
        <translation>服务目录与参数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SLA and calendar</source>
        <translation>SLA 与工作日历</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Suppliers and contracts</source>
        <translation>供应商与合同</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Business relationship</source>
        <translation>业务关系</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Capacity</source>
        <translation>容量管理</translation>
    </message>
</context>
<context>
    <name>ServiceLabels</name>
    <message>
        <location filename="../service/labels.py" line="+67"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>7×24</source>
        <translation>7×24</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Business hours ({code})</source>
        <translation>工作时间（{code}）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>SlaPage</name>
    <message>
        <location filename="../service/sla.py" line="+159"/>
        <source>{code} ({org})</source>
        <translation>{code}（{org}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default of the process</source>
        <translation>流程默认值</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Default: {value}</source>
        <translation>默认：{value}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Holiday: {days}</source>
        <translation>节假日：{days}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make-up working day (调休): {day}</source>
        <translation>调休上班：{day}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No holidays recorded for {year}.</source>
        <translation>{year} 年没有节假日记录。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Business hours: {periods} (P3/P4 clocks; P1/P2 run 7×24)</source>
        <translation>工作时段：{periods}（P3/P4 计时；P1/P2 按 7×24）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Effective SLA targets at your unit</source>
        <translation>本单位生效的 SLA 目标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Working calendar</source>
        <translation>工作日历</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service:</source>
        <translation>服务：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(any service)</source>
        <translation>(不限服务)</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Process</source>
        <translation>流程</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Response</source>
        <translation>响应</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>On-site</source>
        <translation>到场</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resolution</source>
        <translation>解决</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Calendar</source>
        <translation>日历</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set by</source>
        <translation>设定来源</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Highlighted targets differ from the process definition&apos;s default (hover for it). Add an SLA entry in the catalogue to override a target for your unit.</source>
        <translation>突出显示的目标与流程定义的默认值不同（鼠标悬停查看默认值）。在服务目录中添加 SLA 条目即可为本单位覆盖目标。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Red: public holiday. Blue: make-up working day (调休).</source>
        <translation>红色：法定节假日。蓝色：调休上班日。</translation>
    </message>
</context>
<context>
    <name>SuppliersPage</name>
    <message>
        <location filename="../service/suppliers.py" line="+129"/>
        <source>{code} ({days})</source>
        <translation>{code}（{days}）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} contract(s) expire within {limit} days — arrange the renewal: {contracts}</source>
        <translation>{n} 份合同将在 {limit} 天内到期，请安排续签：{contracts}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No contract expires within {limit} days.</source>
        <translation>{limit} 天内没有到期的合同。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>expired {n} days ago</source>
        <translation>已过期 {n} 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} days left</source>
        <translation>剩余 {n} 天</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(none)</source>
        <translation>(无)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Select a supplier to see its vendor engineers.</source>
        <translation>选择供应商以查看其厂商工程师。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{supplier} has no vendor engineer team: choose one in the catalogue so tickets can be escalated to its engineers (third line).</source>
        <translation>{supplier}尚未设置厂商工程师组：请在服务目录中选择，以便工单可升级给其工程师（三线）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Vendor engineers of {supplier} — team {team} (line {line}):</source>
        <translation>{supplier}的厂商工程师 — {team}（第 {line} 线）：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(the team has no members yet)</source>
        <translation>(该组尚无成员)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Contracts (renewal reminder {days} days before expiry)</source>
        <translation>合同（到期前 {days} 天提醒续签）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suppliers</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+4"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+4"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Subject</source>
        <translation>标的</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Expiry</source>
        <translation>到期日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remaining</source>
        <translation>剩余</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amount (CNY)</source>
        <translation>金额(元)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Support response / on-site / repair</source>
        <translation>维保响应/到场/修复</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Owned by</source>
        <translation>所属单位</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Rating</source>
        <translation>评级</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vendor engineer team</source>
        <translation>厂商工程师组</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../service/chart.py" line="+85"/>
        <source>No readings for this CI.</source>
        <translation>该配置项没有读数。</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{metric} full ~{day}</source>
        <translation>{metric}约 {day} 耗尽</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>{metrics} alarm {value}%</source>
        <translation>{metrics} 告警 {value}%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{metrics} warning {value}%</source>
        <translation>{metrics} 预警 {value}%</translation>
    </message>
</context>
</TS>
