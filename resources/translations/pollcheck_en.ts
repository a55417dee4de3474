<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>BlockersDialog</name>
    <message numerus="yes">
        <source>The report is saved as a draft. %n answer(s) keep it from being complete; choose one to go to it.</source>
        <translation>
            <numerusform>The report is saved as a draft. %n answer keeps it from being complete; choose it to go to it.</numerusform>
            <numerusform>The report is saved as a draft. %n answers keep it from being complete; choose one to go to it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message numerus="yes">
        <source>%n problem(s), listed under Show Details.</source>
        <translation>
            <numerusform>%n problem, listed under Show Details.</numerusform>
            <numerusform>%n problems, listed under Show Details.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>History</name>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n answer</numerusform>
            <numerusform>%n answers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KitDialog</name>
    <message numerus="yes">
        <source>%n station(s)</source>
        <translation>
            <numerusform>%n station</numerusform>
            <numerusform>%n stations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n observer(s) added from the list.</source>
        <translation>
            <numerusform>%n observer added from the list.</numerusform>
            <numerusform>%n observers added from the list.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The kit will hold %n station(s)</source>
        <translation>
            <numerusform>The kit will hold %n station</numerusform>
            <numerusform>The kit will hold %n stations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n report(s) of {0}.</source>
        <translation>
            <numerusform>and %n report of {0}.</numerusform>
            <numerusform>and %n reports of {0}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n kit(s) written to:</source>
        <translation>
            <numerusform>%n kit written to:</numerusform>
            <numerusform>%n kits written to:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message numerus="yes">
        <source>%n file(s) would be refused; see why in the table.</source>
        <translation>
            <numerusform>%n file would be refused; see why in the table.</numerusform>
            <numerusform>%n files would be refused; see why in the table.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Merged %n file(s).</source>
        <translation>
            <numerusform>Merged %n file.</numerusform>
            <numerusform>Merged %n files.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) added to the registry.</source>
        <translation>
            <numerusform>%n station added to the registry.</numerusform>
            <numerusform>%n stations added to the registry.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) differ from this mission&apos;s registry and are kept as they are here: {0}.</source>
        <translation>
            <numerusform>%n station differs from this mission&apos;s registry and is kept as it is here: {0}.</numerusform>
            <numerusform>%n stations differ from this mission&apos;s registry and are kept as they are here: {0}.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MergeLogDialog</name>
    <message numerus="yes">
        <source>%n kit(s) made from this file.</source>
        <translation>
            <numerusform>%n kit made from this file.</numerusform>
            <numerusform>%n kits made from this file.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), the last {0}</source>
        <translation>
            <numerusform>%n file, the last {0}</numerusform>
            <numerusform>%n files, the last {0}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n form(s) added</source>
        <translation>
            <numerusform>%n form added</numerusform>
            <numerusform>%n forms added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) added</source>
        <translation>
            <numerusform>%n station added</numerusform>
            <numerusform>%n stations added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) differing from the registry, kept as they were</source>
        <translation>
            <numerusform>%n station differing from the registry, kept as it was</numerusform>
            <numerusform>%n stations differing from the registry, kept as they were</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportsModel</name>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message numerus="yes">
        <source>%n report(s)</source>
        <translation>
            <numerusform>%n report</numerusform>
            <numerusform>%n reports</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StationCard</name>
    <message numerus="yes">
        <source>Reports at this station: %n</source>
        <translation>
            <numerusform>Reports at this station: %n</numerusform>
            <numerusform>Reports at this station: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StationListPage</name>
    <message numerus="yes">
        <source>{0}{1}: %n problem(s), listed below. Nothing will be imported until they are fixed: correct the file and press Check again, or go on without a station list.</source>
        <translation>
            <numerusform>{0}{1}: %n problem, listed below. Nothing will be imported until they are fixed: correct the file and press Check again, or go on without a station list.</numerusform>
            <numerusform>{0}{1}: %n problems, listed below. Nothing will be imported until they are fixed: correct the file and press Check again, or go on without a station list.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{0}{1}: %n station(s) will be imported.</source>
        <translation>
            <numerusform>{0}{1}: %n station will be imported.</numerusform>
            <numerusform>{0}{1}: %n stations will be imported.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StationsPage</name>
    <message numerus="yes">
        <source>%n station(s)</source>
        <translation>
            <numerusform>%n station</numerusform>
            <numerusform>%n stations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message numerus="yes">
        <source>%n station(s) from {0}</source>
        <translation>
            <numerusform>%n station from {0}</numerusform>
            <numerusform>%n stations from {0}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TabulationPage</name>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>and %n more</numerusform>
            <numerusform>and %n more</numerusform>
        </translation>
    </message>
</context>
</TS>
