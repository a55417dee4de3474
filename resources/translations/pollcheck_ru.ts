<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>BlockersDialog</name>
    <message>
        <source>Not complete yet</source>
        <translation>Отчет еще не заполнен</translation>
    </message>
    <message numerus="yes">
        <source>The report is saved as a draft. %n answer(s) keep it from being complete; choose one to go to it.</source>
        <translation>
            <numerusform>Отчет сохранен как черновик. Заполнить его мешает %n ответ; выберите его, чтобы перейти к нему.</numerusform>
            <numerusform>Отчет сохранен как черновик. Заполнить его мешают %n ответа; выберите любой, чтобы перейти к нему.</numerusform>
            <numerusform>Отчет сохранен как черновик. Заполнить его мешают %n ответов; выберите любой, чтобы перейти к нему.</numerusform>
        </translation>
    </message>
    <message>
        <source>Go to the answer</source>
        <translation>Перейти к ответу</translation>
    </message>
    <message>
        <source>Keep as draft</source>
        <translation>Оставить черновиком</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Pollcheck: internal error</source>
        <translation>Pollcheck: внутренняя ошибка</translation>
    </message>
    <message>
        <source>Pollcheck hit an internal error. This is a bug in Pollcheck, not your mistake. Answers saved before it are in the mission file.

Nothing was sent anywhere. To report it, copy the text below and give it to your coordinator; it may name stations, so treat it like the mission file.</source>
        <translation>В Pollcheck произошла внутренняя ошибка. Это ошибка программы, а не ваша. Ответы, сохраненные до нее, есть в файле миссии.

Никуда ничего не отправлено. Чтобы сообщить об ошибке, скопируйте текст ниже и передайте его координатору; в нем могут быть названия участков, поэтому обращайтесь с ним как с файлом миссии.</translation>
    </message>
    <message>
        <source>The report was also written to the log file:
{0}</source>
        <translation>Отчет об ошибке записан и в журнал:
{0}</translation>
    </message>
    <message>
        <source>The log file could not be written.</source>
        <translation>Записать журнал не удалось.</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Скопировать отчет об ошибке</translation>
    </message>
    <message>
        <source>Quit Pollcheck</source>
        <translation>Закрыть Pollcheck</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Продолжить</translation>
    </message>
</context>
<context>
    <name>Entry</name>
    <message>
        <source>⚑ Finding</source>
        <translation>⚑ Нарушение</translation>
    </message>
    <message>
        <source>This answer is a finding: the mission reports it as a problem.</source>
        <translation>Этот ответ — нарушение: миссия сообщает о нем как о проблеме.</translation>
    </message>
    <message>
        <source>Remove {0} {1}</source>
        <translation>Удалить: {0} {1}</translation>
    </message>
    <message>
        <source>Add {0}</source>
        <translation>Добавить: {0}</translation>
    </message>
</context>
<context>
    <name>EntryWidget</name>
    <message>
        <source>Sections</source>
        <translation>Разделы</translation>
    </message>
    <message>
        <source>Remove a row</source>
        <translation>Удаление строки</translation>
    </message>
    <message>
        <source>Remove {0} {1} and its answers?</source>
        <translation>Удалить «{0} {1}» вместе с ответами?</translation>
    </message>
    <message>
        <source>{0} (not asked)</source>
        <translation>{0} (не заполняется)</translation>
    </message>
    <message>
        <source>(row {0})</source>
        <translation>(строка {0})</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message numerus="yes">
        <source>%n problem(s), listed under Show Details.</source>
        <translation>
            <numerusform>%n проблема, см. «Показать подробности».</numerusform>
            <numerusform>%n проблемы, см. «Показать подробности».</numerusform>
            <numerusform>%n проблем, см. «Показать подробности».</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Экспорт</translation>
    </message>
    <message>
        <source>Excel workbook (.xlsx)</source>
        <translation>Книга Excel (.xlsx)</translation>
    </message>
    <message>
        <source>PDF: station summaries</source>
        <translation>PDF: сводки по участкам</translation>
    </message>
    <message>
        <source>PDF: findings report</source>
        <translation>PDF: отчет о нарушениях</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Подписи</translation>
    </message>
    <message>
        <source>Codes (as stored)</source>
        <translation>Коды (как хранятся)</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>Все регионы</translation>
    </message>
    <message>
        <source>every station</source>
        <translation>все участки</translation>
    </message>
    <message>
        <source>Station codes, separated by commas</source>
        <translation>Коды участков через запятую</translation>
    </message>
    <message>
        <source>Include drafts</source>
        <translation>Включая черновики</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Формат</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Форма</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Answers as</source>
        <translation>Ответы как</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Участки</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>Сохранить как</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Книги Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Файлы PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Экспортировать в</translation>
    </message>
    <message>
        <source>Choose a form and where to save the file.</source>
        <translation>Выберите форму и куда сохранить файл.</translation>
    </message>
    <message>
        <source>Exporting {0}…</source>
        <translation>Экспорт {0}…</translation>
    </message>
    <message>
        <source>The export was cancelled; no file was written.</source>
        <translation>Экспорт отменен; файл не записан.</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Не удалось экспортировать</translation>
    </message>
    <message>
        <source>Written: {0}</source>
        <translation>Записано: {0}</translation>
    </message>
    <message>
        <source>Export done</source>
        <translation>Экспорт завершен</translation>
    </message>
    <message>
        <source>The export is written to:
{0}</source>
        <translation>Экспорт записан в файл:
{0}</translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation>Открыть файл</translation>
    </message>
</context>
<context>
    <name>FormsPage</name>
    <message>
        <source>Forms</source>
        <translation>Формы</translation>
    </message>
    <message>
        <source>The checklists observers fill: built-in templates, or XLSForm workbooks.</source>
        <translation>Анкеты, которые заполняют наблюдатели: встроенные шаблоны или файлы XLSForm.</translation>
    </message>
    <message>
        <source>{0} (built-in, {1} questions)</source>
        <translation>{0} (встроенный шаблон, вопросов: {1})</translation>
    </message>
    <message>
        <source>Add an XLSForm file…</source>
        <translation>Добавить файл XLSForm…</translation>
    </message>
    <message>
        <source>This workbook cannot be used as a form</source>
        <translation>Этот файл нельзя использовать как форму</translation>
    </message>
    <message>
        <source>Add an XLSForm file</source>
        <translation>Добавить файл XLSForm</translation>
    </message>
    <message>
        <source>XLSForm workbooks (*.xlsx)</source>
        <translation>Файлы XLSForm (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n строка</numerusform>
            <numerusform>%n строки</numerusform>
            <numerusform>%n строк</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History of the report</source>
        <translation>История отчета</translation>
    </message>
    <message>
        <source>Each save of the report, newest first. Nothing is ever overwritten.</source>
        <translation>Каждое сохранение отчета, сначала последние. Ничего не перезаписывается.</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Сохранено</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Кто</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Изменения</translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s)</source>
        <translation>
            <numerusform>%n ответ</numerusform>
            <numerusform>%n ответа</numerusform>
            <numerusform>%n ответов</numerusform>
        </translation>
    </message>
    <message>
        <source>created</source>
        <translation>создан</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>удален</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>восстановлен</translation>
    </message>
    <message>
        <source>marked {0}</source>
        <translation>статус: {0}</translation>
    </message>
</context>
<context>
    <name>KitDialog</name>
    <message>
        <source>Make observer kit</source>
        <translation>Комплект наблюдателя</translation>
    </message>
    <message>
        <source>A kit is the observer&apos;s copy of this mission: its forms, the stations of the regions chosen, and no reports but the observer&apos;s own. Give it to the observer, who opens it in Pollcheck and sends it back with &apos;Prepare file for HQ&apos;.</source>
        <translation>Комплект — это копия миссии для наблюдателя: ее формы, участки выбранных регионов и никаких отчетов, кроме собственных отчетов наблюдателя. Передайте его наблюдателю: он откроет его в Pollcheck и вернет командой «Подготовить файл для штаба».</translation>
    </message>
    <message>
        <source>(nobody yet: a kit with no reports)</source>
        <translation>(пока никто: комплект без отчетов)</translation>
    </message>
    <message numerus="yes">
        <source>%n station(s)</source>
        <translation>
            <numerusform>%n участок</numerusform>
            <numerusform>%n участка</numerusform>
            <numerusform>%n участков</numerusform>
        </translation>
    </message>
    <message>
        <source>Import observers…</source>
        <translation>Импорт наблюдателей…</translation>
    </message>
    <message>
        <source>A CSV or Excel list with a column of names (&apos;name&apos;) and one of teams (&apos;team&apos;).</source>
        <translation>Список CSV или Excel со столбцом имен («имя») и столбцом команд («команда»).</translation>
    </message>
    <message>
        <source>&amp;Observer:</source>
        <translation>&amp;Наблюдатель:</translation>
    </message>
    <message>
        <source>&amp;Regions (none ticked: all):</source>
        <translation>&amp;Регионы (ни один не отмечен — все):</translation>
    </message>
    <message>
        <source>Make kit…</source>
        <translation>Сделать комплект…</translation>
    </message>
    <message>
        <source>One kit per observer…</source>
        <translation>По комплекту на наблюдателя…</translation>
    </message>
    <message>
        <source>Import observers</source>
        <translation>Импорт наблюдателей</translation>
    </message>
    <message>
        <source>Tables (*.csv *.xlsx *.txt);;All files (*)</source>
        <translation>Таблицы (*.csv *.xlsx *.txt);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Cannot import the observers</source>
        <translation>Не удается импортировать наблюдателей</translation>
    </message>
    <message numerus="yes">
        <source>%n observer(s) added from the list.</source>
        <translation>
            <numerusform>Из списка добавлен %n наблюдатель.</numerusform>
            <numerusform>Из списка добавлено %n наблюдателя.</numerusform>
            <numerusform>Из списка добавлено %n наблюдателей.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The kit will hold %n station(s)</source>
        <translation>
            <numerusform>В комплекте будет %n участок</numerusform>
            <numerusform>В комплекте будет %n участка</numerusform>
            <numerusform>В комплекте будет %n участков</numerusform>
        </translation>
    </message>
    <message>
        <source>and no reports.</source>
        <translation>и ни одного отчета.</translation>
    </message>
    <message numerus="yes">
        <source>and %n report(s) of {0}.</source>
        <translation>
            <numerusform>и %n отчет наблюдателя {0}.</numerusform>
            <numerusform>и %n отчета наблюдателя {0}.</numerusform>
            <numerusform>и %n отчетов наблюдателя {0}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save the kit</source>
        <translation>Сохранить комплект</translation>
    </message>
    <message>
        <source>Pollcheck missions (*.pollcheck)</source>
        <translation>Миссии Pollcheck (*.pollcheck)</translation>
    </message>
    <message>
        <source>Folder for the kits</source>
        <translation>Папка для комплектов</translation>
    </message>
    <message>
        <source>Making the kits…</source>
        <translation>Комплекты создаются…</translation>
    </message>
    <message numerus="yes">
        <source>%n kit(s) written to:</source>
        <translation>
            <numerusform>%n комплект записан в папку:</numerusform>
            <numerusform>%n комплекта записаны в папку:</numerusform>
            <numerusform>%n комплектов записаны в папку:</numerusform>
        </translation>
    </message>
    <message>
        <source>Not written, as a file of that name is there already: {0}</source>
        <translation>Не записаны, так как там уже есть файл с таким именем: {0}</translation>
    </message>
    <message>
        <source>Making the kit…</source>
        <translation>Комплект создается…</translation>
    </message>
    <message>
        <source>Cannot make the kit</source>
        <translation>Не удается сделать комплект</translation>
    </message>
    <message>
        <source>The kit is written to:
{0}

{1}

Give it to the observer, on a USB stick or by e-mail.</source>
        <translation>Комплект записан в файл:
{0}

{1}

Передайте его наблюдателю на флешке или по электронной почте.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Pages</source>
        <translation>Страницы</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Участки</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчеты</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Отчет</translation>
    </message>
    <message>
        <source>Tabulation</source>
        <translation>Сводка</translation>
    </message>
    <message>
        <source>&amp;Mission</source>
        <translation>&amp;Миссия</translation>
    </message>
    <message>
        <source>&amp;New mission…</source>
        <translation>&amp;Новая миссия…</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Открыть…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Н&amp;едавние</translation>
    </message>
    <message>
        <source>Open the &amp;demo mission</source>
        <translation>Открыть &amp;демо-миссию</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Экспорт…</translation>
    </message>
    <message>
        <source>Make observer &amp;kit…</source>
        <translation>&amp;Комплект наблюдателя…</translation>
    </message>
    <message>
        <source>&amp;Merge files…</source>
        <translation>&amp;Объединить файлы…</translation>
    </message>
    <message>
        <source>Merge &amp;log…</source>
        <translation>&amp;Журнал объединений…</translation>
    </message>
    <message>
        <source>&amp;Prepare file for HQ…</source>
        <translation>&amp;Подготовить файл для штаба…</translation>
    </message>
    <message>
        <source>&amp;Close mission</source>
        <translation>&amp;Закрыть миссию</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <source>&amp;Report</source>
        <translation>&amp;Отчет</translation>
    </message>
    <message>
        <source>&amp;New report…</source>
        <translation>&amp;Новый отчет…</translation>
    </message>
    <message>
        <source>&amp;Save now</source>
        <translation>&amp;Сохранить сейчас</translation>
    </message>
    <message>
        <source>Mark &amp;complete</source>
        <translation>Отметить как &amp;заполненный</translation>
    </message>
    <message>
        <source>Ne&amp;xt section</source>
        <translation>С&amp;ледующий раздел</translation>
    </message>
    <message>
        <source>&amp;Previous section</source>
        <translation>&amp;Предыдущий раздел</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;История…</translation>
    </message>
    <message>
        <source>C&amp;lose report</source>
        <translation>&amp;Закрыть отчет</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Stations</source>
        <translation>&amp;Участки</translation>
    </message>
    <message>
        <source>&amp;Reports</source>
        <translation>&amp;Отчеты</translation>
    </message>
    <message>
        <source>The open r&amp;eport</source>
        <translation>Открытый о&amp;тчет</translation>
    </message>
    <message>
        <source>&amp;Tabulation</source>
        <translation>&amp;Сводка</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Настройки</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Параметры…</translation>
    </message>
    <message>
        <source>&amp;Clear recent files</source>
        <translation>&amp;Очистить список недавних файлов</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;Keyboard</source>
        <translation>&amp;Клавиатура</translation>
    </message>
    <message>
        <source>&amp;Where is my data?</source>
        <translation>&amp;Где мои данные?</translation>
    </message>
    <message>
        <source>&amp;About Pollcheck</source>
        <translation>&amp;О программе Pollcheck</translation>
    </message>
    <message>
        <source>No recent missions</source>
        <translation>Недавних миссий нет</translation>
    </message>
    <message>
        <source>Clear recent files</source>
        <translation>Очистить список недавних файлов</translation>
    </message>
    <message>
        <source>Open mission</source>
        <translation>Открыть миссию</translation>
    </message>
    <message>
        <source>Pollcheck missions (*.pollcheck);;All files (*)</source>
        <translation>Миссии Pollcheck (*.pollcheck);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Cannot open the mission</source>
        <translation>Не удается открыть миссию</translation>
    </message>
    <message>
        <source>The mission file cannot be written</source>
        <translation>В файл миссии нельзя записывать</translation>
    </message>
    <message>
        <source>Open it read-only, to look at it without changes?</source>
        <translation>Открыть его только для чтения, чтобы посмотреть без изменений?</translation>
    </message>
    <message>
        <source>Reopened the report you were working on, where you left it.</source>
        <translation>Открыт отчет, над которым вы работали, на том месте, где вы остановились.</translation>
    </message>
    <message>
        <source>[demo: synthetic data]</source>
        <translation>[демо: вымышленные данные]</translation>
    </message>
    <message>
        <source>[read-only]</source>
        <translation>[только чтение]</translation>
    </message>
    <message>
        <source>Mission file: {0}</source>
        <translation>Файл миссии: {0}</translation>
    </message>
    <message>
        <source>Every answer is saved here as you type it.</source>
        <translation>Каждый ответ сохраняется сюда по мере ввода.</translation>
    </message>
    <message>
        <source>Making the demo mission…</source>
        <translation>Создается демо-миссия…</translation>
    </message>
    <message>
        <source>Cannot make the demo mission</source>
        <translation>Не удается создать демо-миссию</translation>
    </message>
    <message>
        <source>Cannot create the report</source>
        <translation>Не удается создать отчет</translation>
    </message>
    <message>
        <source>The file for HQ is written.</source>
        <translation>Файл для штаба записан.</translation>
    </message>
    <message>
        <source>Recent files cleared.</source>
        <translation>Список недавних файлов очищен.</translation>
    </message>
    <message>
        <source>Tab / Shift+Tab: next / previous question
Enter: next question (and next section)
1–9, 0: pick a choice (the tenth with 0); Space: pick the highlighted one; Up/Down: move the highlight; Delete: clear
Ctrl+PgDown / Ctrl+PgUp: next / previous section
Ctrl+Enter: mark the report complete
Ctrl+S: save now (every change is saved within a second anyway)
Ctrl+1, Ctrl+2, Ctrl+3: Stations, Reports, the open report
Ctrl+F: search; Delete: delete the chosen report; Ctrl+Z: undo the delete</source>
        <translation>Tab / Shift+Tab: следующий / предыдущий вопрос
Enter: следующий вопрос (и следующий раздел)
1–9, 0: выбрать вариант ответа (десятый — 0); Пробел: выбрать выделенный; Вверх/Вниз: переместить выделение; Delete: очистить
Ctrl+PgDown / Ctrl+PgUp: следующий / предыдущий раздел
Ctrl+Enter: отметить отчет как заполненный
Ctrl+S: сохранить сейчас (каждое изменение и так сохраняется в течение секунды)
Ctrl+1, Ctrl+2, Ctrl+3: участки, отчеты, открытый отчет
Ctrl+F: поиск; Delete: удалить выбранный отчет; Ctrl+Z: отменить удаление</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>Клавиатура</translation>
    </message>
    <message>
        <source>no mission open</source>
        <translation>миссия не открыта</translation>
    </message>
    <message>
        <source>Mission file (every answer): {0}
Settings and log folder: {1}
Log file: {2}</source>
        <translation>Файл миссии (все ответы): {0}
Папка настроек и журнала: {1}
Журнал: {2}</translation>
    </message>
    <message>
        <source>Where is my data?</source>
        <translation>Где мои данные?</translation>
    </message>
    <message>
        <source>About Pollcheck</source>
        <translation>О программе Pollcheck</translation>
    </message>
    <message>
        <source>Pollcheck {0}
Offline election observation: checklists, findings, merging.
It never sends anything anywhere.</source>
        <translation>Pollcheck {0}
Наблюдение за выборами без интернета: анкеты, нарушения, объединение файлов.
Программа никуда ничего не отправляет.</translation>
    </message>
    <message>
        <source>Answers not saved</source>
        <translation>Ответы не сохранены</translation>
    </message>
    <message>
        <source>The last answers could not be saved (see the message above the form). Close anyway and lose them?</source>
        <translation>Последние ответы сохранить не удалось (см. сообщение над формой). Все равно закрыть и потерять их?</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge files</source>
        <translation>Объединение файлов</translation>
    </message>
    <message>
        <source>Add the mission files and workbooks that came from observers or regions. Each is checked first; a damaged or foreign file is refused and nothing of it is written.</source>
        <translation>Добавьте файлы миссии и книги Excel, полученные от наблюдателей или из регионов. Каждый файл сначала проверяется; поврежденный или чужой файл отклоняется, и из него ничего не записывается.</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Добавить файлы…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <source>Merge log…</source>
        <translation>Журнал объединений…</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Файл</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>What happens</source>
        <translation>Что произойдет</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Новые</translation>
    </message>
    <message>
        <source>Newer</source>
        <translation>Новее</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Без изменений</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Старее</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Конфликты</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Примечания</translation>
    </message>
    <message>
        <source>No file added yet. Add files, or drop them here.</source>
        <translation>Файлы еще не добавлены. Добавьте их или перетащите сюда.</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Объединить</translation>
    </message>
    <message>
        <source>Files to merge</source>
        <translation>Файлы для объединения</translation>
    </message>
    <message>
        <source>Pollcheck missions and workbooks (*.pollcheck *.xlsx);;All files (*)</source>
        <translation>Миссии Pollcheck и книги Excel (*.pollcheck *.xlsx);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Checking the files…</source>
        <translation>Проверка файлов…</translation>
    </message>
    <message>
        <source>Checked: what merging would do. Nothing is merged yet.</source>
        <translation>Проверено: вот что даст объединение. Пока ничего не объединено.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) would be refused; see why in the table.</source>
        <translation>
            <numerusform>%n файл будет отклонен; причина — в таблице.</numerusform>
            <numerusform>%n файла будут отклонены; причины — в таблице.</numerusform>
            <numerusform>%n файлов будут отклонены; причины — в таблице.</numerusform>
        </translation>
    </message>
    <message>
        <source>The mission is open read-only: it cannot be merged into.</source>
        <translation>Миссия открыта только для чтения: в нее нельзя объединять.</translation>
    </message>
    <message>
        <source>Merging…</source>
        <translation>Объединение…</translation>
    </message>
    <message numerus="yes">
        <source>Merged %n file(s).</source>
        <translation>
            <numerusform>Объединен %n файл.</numerusform>
            <numerusform>Объединено %n файла.</numerusform>
            <numerusform>Объединено %n файлов.</numerusform>
        </translation>
    </message>
    <message>
        <source>The log of this merge is kept in the mission file.</source>
        <translation>Журнал этого объединения хранится в файле миссии.</translation>
    </message>
    <message>
        <source>Cannot merge</source>
        <translation>Не удалось объединить</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>объединен</translation>
    </message>
    <message>
        <source>nothing new</source>
        <translation>ничего нового</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>отклонен</translation>
    </message>
    <message>
        <source>skipped (cancelled)</source>
        <translation>пропущен (отменено)</translation>
    </message>
    <message>
        <source>will be merged</source>
        <translation>будет объединен</translation>
    </message>
    <message>
        <source>will be refused</source>
        <translation>будет отклонен</translation>
    </message>
    <message>
        <source>mission file</source>
        <translation>файл миссии</translation>
    </message>
    <message>
        <source>workbook</source>
        <translation>книга Excel</translation>
    </message>
    <message>
        <source>Form {0} added.</source>
        <translation>Добавлена форма {0}.</translation>
    </message>
    <message>
        <source>Form {0} differs from this mission&apos;s; this mission&apos;s is kept.</source>
        <translation>Форма {0} отличается от формы этой миссии; оставлена форма этой миссии.</translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) added to the registry.</source>
        <translation>
            <numerusform>В реестр добавлен %n участок.</numerusform>
            <numerusform>В реестр добавлено %n участка.</numerusform>
            <numerusform>В реестр добавлено %n участков.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>и еще %n</numerusform>
            <numerusform>и еще %n</numerusform>
            <numerusform>и еще %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) differ from this mission&apos;s registry and are kept as they are here: {0}.</source>
        <translation>
            <numerusform>%n участок отличается от реестра этой миссии и оставлен как здесь: {0}.</numerusform>
            <numerusform>%n участка отличаются от реестра этой миссии и оставлены как здесь: {0}.</numerusform>
            <numerusform>%n участков отличаются от реестра этой миссии и оставлены как здесь: {0}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Prepare file for HQ</source>
        <translation>Подготовить файл для штаба</translation>
    </message>
    <message>
        <source>Pollcheck missions (*.pollcheck)</source>
        <translation>Миссии Pollcheck (*.pollcheck)</translation>
    </message>
    <message>
        <source>Cannot prepare the file</source>
        <translation>Не удалось подготовить файл</translation>
    </message>
    <message>
        <source>A copy of the mission, with every saved answer, is written to:
{0}

Send this file to headquarters.</source>
        <translation>Копия миссии со всеми сохраненными ответами записана в файл:
{0}

Отправьте этот файл в штаб.</translation>
    </message>
</context>
<context>
    <name>MergeLogDialog</name>
    <message>
        <source>Merge log</source>
        <translation>Журнал объединений</translation>
    </message>
    <message>
        <source>Every file merged into this mission, and every file refused, the latest first. Compare a file&apos;s SHA-256 with the sender&apos;s to be sure it is the same file.</source>
        <translation>Все файлы, объединенные с этой миссией, и все отклоненные, начиная с последнего. Сравните SHA-256 файла с тем, что назвал отправитель, чтобы убедиться, что это тот же файл.</translation>
    </message>
    <message>
        <source>No file has been merged into this mission yet.</source>
        <translation>С этой миссией еще не объединен ни один файл.</translation>
    </message>
    <message>
        <source>Merged at</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Что произошло</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Refused because</source>
        <translation>Причина отказа</translation>
    </message>
    <message>
        <source>Files merged</source>
        <translation>Объединенные файлы</translation>
    </message>
    <message>
        <source>Kits made</source>
        <translation>Выданные комплекты</translation>
    </message>
    <message>
        <source>No kit has been made from this file yet (Mission → Make observer kit…).</source>
        <translation>Из этого файла еще не сделан ни один комплект (Миссия → Комплект наблюдателя…).</translation>
    </message>
    <message numerus="yes">
        <source>%n kit(s) made from this file.</source>
        <translation>
            <numerusform>Из этого файла сделан %n комплект.</numerusform>
            <numerusform>Из этого файла сделано %n комплекта.</numerusform>
            <numerusform>Из этого файла сделано %n комплектов.</numerusform>
        </translation>
    </message>
    <message>
        <source>No file back yet from: {0}.</source>
        <translation>Еще не вернули файл: {0}.</translation>
    </message>
    <message>
        <source>A file has come back from each.</source>
        <translation>От каждого вернулся файл.</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>Когда сделан</translation>
    </message>
    <message>
        <source>Observer</source>
        <translation>Наблюдатель</translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>Регионы</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Участки</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчеты</translation>
    </message>
    <message>
        <source>File back</source>
        <translation>Файл вернулся</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), the last {0}</source>
        <translation>
            <numerusform>%n файл, последний {0}</numerusform>
            <numerusform>%n файла, последний {0}</numerusform>
            <numerusform>%n файлов, последний {0}</numerusform>
        </translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>еще нет</translation>
    </message>
    <message>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <source>devices: {0}</source>
        <translation>устройства: {0}</translation>
    </message>
    <message>
        <source>copy of the mission: {0}</source>
        <translation>копия миссии: {0}</translation>
    </message>
    <message numerus="yes">
        <source>%n form(s) added</source>
        <translation>
            <numerusform>добавлена %n форма</numerusform>
            <numerusform>добавлено %n формы</numerusform>
            <numerusform>добавлено %n форм</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) added</source>
        <translation>
            <numerusform>добавлен %n участок</numerusform>
            <numerusform>добавлено %n участка</numerusform>
            <numerusform>добавлено %n участков</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) differing from the registry, kept as they were</source>
        <translation>
            <numerusform>%n участок отличался от реестра и оставлен как был</numerusform>
            <numerusform>%n участка отличались от реестра и оставлены как были</numerusform>
            <numerusform>%n участков отличались от реестра и оставлены как были</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MissionPage</name>
    <message>
        <source>The mission</source>
        <translation>Миссия</translation>
    </message>
    <message>
        <source>What is observed, and where the mission file is kept.</source>
        <translation>Что наблюдается и где хранится файл миссии.</translation>
    </message>
    <message>
        <source>e.g. Presidential election 2026</source>
        <translation>например, Выборы президента 2026</translation>
    </message>
    <message>
        <source>Not known yet</source>
        <translation>Пока неизвестна</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Название:</translation>
    </message>
    <message>
        <source>&amp;Country:</source>
        <translation>&amp;Страна:</translation>
    </message>
    <message>
        <source>&amp;Election date:</source>
        <translation>&amp;Дата выборов:</translation>
    </message>
    <message>
        <source>Mission &amp;file:</source>
        <translation>&amp;Файл миссии:</translation>
    </message>
    <message>
        <source>Where to keep the mission file</source>
        <translation>Где хранить файл миссии</translation>
    </message>
    <message>
        <source>Pollcheck missions (*.pollcheck)</source>
        <translation>Миссии Pollcheck (*.pollcheck)</translation>
    </message>
    <message>
        <source>A file of that name exists already: choose another name.</source>
        <translation>Файл с таким именем уже есть: выберите другое имя.</translation>
    </message>
    <message>
        <source>The folder does not exist: choose another place.</source>
        <translation>Такой папки нет: выберите другое место.</translation>
    </message>
</context>
<context>
    <name>NewMissionWizard</name>
    <message>
        <source>New mission</source>
        <translation>Новая миссия</translation>
    </message>
</context>
<context>
    <name>NewReportDialog</name>
    <message>
        <source>New report</source>
        <translation>Новый отчет</translation>
    </message>
    <message>
        <source>Type a station number, name or place…</source>
        <translation>Введите номер участка, название или место…</translation>
    </message>
    <message>
        <source>&amp;Form:</source>
        <translation>&amp;Форма:</translation>
    </message>
    <message>
        <source>&amp;Station:</source>
        <translation>&amp;Участок:</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>&amp;Регион:</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Создать</translation>
    </message>
    <message>
        <source>This form is filled at one polling station.</source>
        <translation>Эта форма заполняется на одном избирательном участке.</translation>
    </message>
    <message>
        <source>A station is optional for this form: leave the search empty if it did not happen at a station.</source>
        <translation>Участок для этой формы необязателен: оставьте поиск пустым, если это было не на участке.</translation>
    </message>
    <message>
        <source>This form is not about one station; give the region.</source>
        <translation>Эта форма не относится к одному участку; укажите регион.</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Welcome to Pollcheck</source>
        <translation>Добро пожаловать в Pollcheck</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Before you start: who is observing? Your name and team are written into every report you make. You can change them later in Settings.</source>
        <translation>Прежде чем начать: кто ведет наблюдение? Ваше имя и команда записываются в каждый ваш отчет. Позже их можно изменить в настройках.</translation>
    </message>
    <message>
        <source>First and last name</source>
        <translation>Имя и фамилия</translation>
    </message>
    <message>
        <source>e.g. Team 4</source>
        <translation>например, Команда 4</translation>
    </message>
    <message>
        <source>&amp;Observer:</source>
        <translation>&amp;Наблюдатель:</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>&amp;Команда:</translation>
    </message>
    <message>
        <source>&amp;Interface language:</source>
        <translation>&amp;Язык интерфейса:</translation>
    </message>
    <message>
        <source>Recorded with every report saved on this computer</source>
        <translation>Записывается с каждым отчетом, сохраненным на этом компьютере</translation>
    </message>
    <message>
        <source>This computer&apos;s id:</source>
        <translation>Код этого компьютера:</translation>
    </message>
    <message>
        <source>Settings and log folder:</source>
        <translation>Папка настроек и журнала:</translation>
    </message>
    <message>
        <source>Clear recent files</source>
        <translation>Очистить список недавних файлов</translation>
    </message>
    <message>
        <source>Forget which missions were opened on this computer, and where</source>
        <translation>Забыть, какие миссии открывались на этом компьютере и где они лежат</translation>
    </message>
    <message>
        <source>Recent files cleared</source>
        <translation>Список недавних файлов очищен</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Save state</source>
        <translation>Состояние сохранения</translation>
    </message>
    <message>
        <source>Form language</source>
        <translation>Язык формы</translation>
    </message>
    <message>
        <source>The language of the form&apos;s questions</source>
        <translation>Язык вопросов формы</translation>
    </message>
    <message>
        <source>Mark complete</source>
        <translation>Отметить как заполненный</translation>
    </message>
    <message>
        <source>Check every answer and mark the report complete (Ctrl+Enter)</source>
        <translation>Проверить все ответы и отметить отчет как заполненный (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Close report</source>
        <translation>Закрыть отчет</translation>
    </message>
    <message>
        <source>Form language:</source>
        <translation>Язык формы:</translation>
    </message>
    <message>
        <source>No report is open. Open one from Reports or Stations.</source>
        <translation>Отчет не открыт. Откройте его на странице «Отчеты» или «Участки».</translation>
    </message>
    <message>
        <source>Cannot open the report</source>
        <translation>Не удается открыть отчет</translation>
    </message>
    <message>
        <source>The mission file is open read-only: nothing can be changed.</source>
        <translation>Файл миссии открыт только для чтения: изменить ничего нельзя.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохранение…</translation>
    </message>
    <message>
        <source>Cannot mark the report complete</source>
        <translation>Не удается отметить отчет как заполненный</translation>
    </message>
    <message>
        <source>The answers could not be saved</source>
        <translation>Не удалось сохранить ответы</translation>
    </message>
    <message>
        <source>This report is a draft again: an answer now keeps it from being complete.</source>
        <translation>Отчет снова стал черновиком: один из ответов теперь мешает считать его заполненным.</translation>
    </message>
    <message>
        <source>Not saved: {0} Your answers are kept in this window; Pollcheck tries again every few seconds.</source>
        <translation>Не сохранено: {0} Ваши ответы остаются в этом окне; Pollcheck повторяет попытку каждые несколько секунд.</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Не сохранено</translation>
    </message>
    <message>
        <source>The report was changed elsewhere</source>
        <translation>Отчет изменен в другом месте</translation>
    </message>
    <message>
        <source>Someone changed this report elsewhere (another window or program) while you edited it. Keep your answers and save them over that change (the history keeps both), or show the other version?</source>
        <translation>Пока вы редактировали отчет, его изменили в другом месте (в другом окне или программе). Оставить ваши ответы и сохранить их поверх того изменения (в истории останутся оба) или показать другую версию?</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Оставить мои</translation>
    </message>
    <message>
        <source>Show theirs</source>
        <translation>Показать другую</translation>
    </message>
    <message>
        <source>The report is complete. Changes are still saved as you make them.</source>
        <translation>Отчет заполнен. Изменения по-прежнему сохраняются по мере ввода.</translation>
    </message>
    <message>
        <source>No report open</source>
        <translation>Отчет не открыт</translation>
    </message>
    <message>
        <source>Observer: {0} · Status: {1} · Revision {2}</source>
        <translation>Наблюдатель: {0} · Статус: {1} · Версия {2}</translation>
    </message>
    <message>
        <source>All changes saved ({0})</source>
        <translation>Все изменения сохранены ({0})</translation>
    </message>
</context>
<context>
    <name>ReportsModel</name>
    <message>
        <source>Station</source>
        <translation>Участок</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Форма</translation>
    </message>
    <message>
        <source>Observer</source>
        <translation>Наблюдатель</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Изменен</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Нарушения</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Посещения</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n посещение</numerusform>
            <numerusform>%n посещения</numerusform>
            <numerusform>%n посещений</numerusform>
        </translation>
    </message>
    <message>
        <source>Reports of this form for this station: {0}. A duplicate visit: each report is kept and counted as a report; tabulation counts the station once.</source>
        <translation>Отчетов этой формы по этому участку: {0}. Повторное посещение: каждый отчет сохраняется и учитывается как отчет; в сводке участок считается один раз.</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Search station, region or observer…</source>
        <translation>Поиск по участку, региону, наблюдателю…</translation>
    </message>
    <message>
        <source>Search reports</source>
        <translation>Поиск отчетов</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Форма</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Любой статус</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>Черновики</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Заполненные</translation>
    </message>
    <message>
        <source>Observer</source>
        <translation>Наблюдатель</translation>
    </message>
    <message>
        <source>New report…</source>
        <translation>Новый отчет…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>История…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Delete the report (Del); it can be undone</source>
        <translation>Удалить отчет (Del); удаление можно отменить</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <source>Bring the deleted report back (Ctrl+Z)</source>
        <translation>Вернуть удаленный отчет (Ctrl+Z)</translation>
    </message>
    <message>
        <source>All forms</source>
        <translation>Все формы</translation>
    </message>
    <message>
        <source>All observers</source>
        <translation>Все наблюдатели</translation>
    </message>
    <message numerus="yes">
        <source>%n report(s)</source>
        <translation>
            <numerusform>%n отчет</numerusform>
            <numerusform>%n отчета</numerusform>
            <numerusform>%n отчетов</numerusform>
        </translation>
    </message>
    <message>
        <source>of {0}</source>
        <translation>из {0}</translation>
    </message>
    <message>
        <source>Deleted the report {0} ({1}). Its answers are kept in the history.</source>
        <translation>Отчет {0} ({1}) удален. Его ответы сохранены в истории.</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Election observation checklists, offline.</source>
        <translation>Анкеты наблюдения за выборами — без интернета.</translation>
    </message>
    <message>
        <source>Open a mission file…</source>
        <translation>Открыть файл миссии…</translation>
    </message>
    <message>
        <source>New mission…</source>
        <translation>Новая миссия…</translation>
    </message>
    <message>
        <source>Open the demo mission</source>
        <translation>Открыть демо-миссию</translation>
    </message>
    <message>
        <source>A fictional mission with synthetic reports, to try Pollcheck</source>
        <translation>Вымышленная миссия с вымышленными отчетами, чтобы попробовать Pollcheck</translation>
    </message>
    <message>
        <source>Recent missions</source>
        <translation>Недавние миссии</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>Очистить список</translation>
    </message>
    <message>
        <source>Forget the missions opened on this computer (for a laptop that may be lost or seized)</source>
        <translation>Забыть миссии, открывавшиеся на этом компьютере (для ноутбука, который могут потерять или изъять)</translation>
    </message>
    <message>
        <source>No recent missions.</source>
        <translation>Недавних миссий нет.</translation>
    </message>
</context>
<context>
    <name>StationCard</name>
    <message>
        <source>Export this station as PDF</source>
        <translation>Экспорт участка в PDF</translation>
    </message>
    <message>
        <source>Reports at this station</source>
        <translation>Отчеты по этому участку</translation>
    </message>
    <message>
        <source>New report</source>
        <translation>Новый отчет</translation>
    </message>
    <message>
        <source>A new report of this form at this station</source>
        <translation>Новый отчет этой формы по этому участку</translation>
    </message>
    <message>
        <source>No station chosen</source>
        <translation>Участок не выбран</translation>
    </message>
    <message>
        <source>Choose a station in the list to see its reports.</source>
        <translation>Выберите участок в списке, чтобы увидеть его отчеты.</translation>
    </message>
    <message>
        <source>Station {0}</source>
        <translation>Участок № {0}</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Код</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>District</source>
        <translation>Район</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Registered voters</source>
        <translation>Избирателей в списке</translation>
    </message>
    <message numerus="yes">
        <source>Reports at this station: %n</source>
        <translation>
            <numerusform>Отчетов по участку: %n</numerusform>
            <numerusform>Отчетов по участку: %n</numerusform>
            <numerusform>Отчетов по участку: %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StationListPage</name>
    <message>
        <source>Polling stations</source>
        <translation>Избирательные участки</translation>
    </message>
    <message>
        <source>The station registry, from a CSV or Excel table with columns such as number, region, district, name, address. You can also import it later.</source>
        <translation>Реестр участков из таблицы CSV или Excel со столбцами номер, регион, район, название, адрес и т. п. Его можно загрузить и позже.</translation>
    </message>
    <message>
        <source>Choose a station list…</source>
        <translation>Выбрать список участков…</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Проверить снова</translation>
    </message>
    <message>
        <source>Read the file again after fixing it</source>
        <translation>Прочитать файл снова после исправления</translation>
    </message>
    <message>
        <source>No station list now</source>
        <translation>Пока без списка участков</translation>
    </message>
    <message>
        <source>Detect the encoding</source>
        <translation>Определить кодировку</translation>
    </message>
    <message>
        <source>Windows-1251 (Russian Excel)</source>
        <translation>Windows-1251 (русский Excel)</translation>
    </message>
    <message>
        <source>For CSV files whose letters come out wrong</source>
        <translation>Для файлов CSV, в которых буквы выглядят неправильно</translation>
    </message>
    <message>
        <source>No station list chosen.</source>
        <translation>Список участков не выбран.</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Код</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>№</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>District</source>
        <translation>Район</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Voters</source>
        <translation>Избирателей</translation>
    </message>
    <message>
        <source>Choose a station list</source>
        <translation>Выбор списка участков</translation>
    </message>
    <message>
        <source>Tables (*.csv *.xlsx *.txt)</source>
        <translation>Таблицы (*.csv *.xlsx *.txt)</translation>
    </message>
    <message>
        <source>No station list chosen: the mission starts without stations.</source>
        <translation>Список участков не выбран: миссия начнется без участков.</translation>
    </message>
    <message>
        <source> (read as {0})</source>
        <translation> (кодировка {0})</translation>
    </message>
    <message numerus="yes">
        <source>{0}{1}: %n problem(s), listed below. Nothing will be imported until they are fixed: correct the file and press Check again, or go on without a station list.</source>
        <translation>
            <numerusform>{0}{1}: %n проблема, см. ниже. Ничего не будет загружено, пока она не исправлена: исправьте файл и нажмите «Проверить снова» или продолжайте без списка участков.</numerusform>
            <numerusform>{0}{1}: %n проблемы, см. ниже. Ничего не будет загружено, пока они не исправлены: исправьте файл и нажмите «Проверить снова» или продолжайте без списка участков.</numerusform>
            <numerusform>{0}{1}: %n проблем, см. ниже. Ничего не будет загружено, пока они не исправлены: исправьте файл и нажмите «Проверить снова» или продолжайте без списка участков.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{0}{1}: %n station(s) will be imported.</source>
        <translation>
            <numerusform>{0}{1}: будет загружен %n участок.</numerusform>
            <numerusform>{0}{1}: будут загружены %n участка.</numerusform>
            <numerusform>{0}{1}: будет загружено %n участков.</numerusform>
        </translation>
    </message>
    <message>
        <source>The first {0} are shown.</source>
        <translation>Показаны первые {0}.</translation>
    </message>
</context>
<context>
    <name>StationsModel</name>
    <message>
        <source>No.</source>
        <translation>№</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>District</source>
        <translation>Район</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчеты</translation>
    </message>
</context>
<context>
    <name>StationsPage</name>
    <message>
        <source>Search number, name, address, region…</source>
        <translation>Поиск по номеру, названию, адресу, региону…</translation>
    </message>
    <message>
        <source>Search stations</source>
        <translation>Поиск участков</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>District</source>
        <translation>Район</translation>
    </message>
    <message>
        <source>All stations</source>
        <translation>Все участки</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>Посещенные</translation>
    </message>
    <message>
        <source>Not visited</source>
        <translation>Непосещенные</translation>
    </message>
    <message>
        <source>Visited or not</source>
        <translation>Посещенные или нет</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>Все регионы</translation>
    </message>
    <message>
        <source>All districts</source>
        <translation>Все районы</translation>
    </message>
    <message numerus="yes">
        <source>%n station(s)</source>
        <translation>
            <numerusform>%n участок</numerusform>
            <numerusform>%n участка</numerusform>
            <numerusform>%n участков</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Draft</source>
        <translation>Черновик</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>Заполнен</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <source>Ready</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Pollcheck will create the mission file with this.</source>
        <translation>Pollcheck создаст файл миссии с такими данными.</translation>
    </message>
    <message>
        <source>Create the mission</source>
        <translation>Создать миссию</translation>
    </message>
    <message numerus="yes">
        <source>%n station(s) from {0}</source>
        <translation>
            <numerusform>%n участок из {0}</numerusform>
            <numerusform>%n участка из {0}</numerusform>
            <numerusform>%n участков из {0}</numerusform>
        </translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>пока нет</translation>
    </message>
    <message>
        <source>Title: {0}</source>
        <translation>Название: {0}</translation>
    </message>
    <message>
        <source>Country: {0}</source>
        <translation>Страна: {0}</translation>
    </message>
    <message>
        <source>Election date: {0}</source>
        <translation>Дата выборов: {0}</translation>
    </message>
    <message>
        <source>Forms: {0}</source>
        <translation>Формы: {0}</translation>
    </message>
    <message>
        <source>Stations: {0}</source>
        <translation>Участки: {0}</translation>
    </message>
    <message>
        <source>File: {0}</source>
        <translation>Файл: {0}</translation>
    </message>
    <message>
        <source>The mission could not be created</source>
        <translation>Не удалось создать миссию</translation>
    </message>
</context>
<context>
    <name>TabulationModel</name>
    <message>
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Ответ</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчеты</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Участки</translation>
    </message>
    <message>
        <source>% of answering</source>
        <translation>% ответивших</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% интервал</translation>
    </message>
    <message>
        <source>Finding: {0}</source>
        <translation>Нарушение: {0}</translation>
    </message>
</context>
<context>
    <name>TabulationPage</name>
    <message>
        <source>By region</source>
        <translation>По регионам</translation>
    </message>
    <message>
        <source>By district</source>
        <translation>По районам</translation>
    </message>
    <message>
        <source>Include drafts</source>
        <translation>Включая черновики</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>Форма</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Регион</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Export these stations as PDF</source>
        <translation>Экспорт этих участков в PDF</translation>
    </message>
    <message>
        <source>The stations behind the figure clicked, else those of the region chosen</source>
        <translation>Участки за выбранной цифрой, иначе участки выбранного региона</translation>
    </message>
    <message>
        <source>Click a figure to see the reports behind it.</source>
        <translation>Нажмите на число, чтобы увидеть отчеты, из которых оно сложилось.</translation>
    </message>
    <message>
        <source>Copy findings as text</source>
        <translation>Скопировать нарушения текстом</translation>
    </message>
    <message>
        <source>Tabulation</source>
        <translation>Сводка</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Нарушения</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Охват</translation>
    </message>
    <message>
        <source>Quality checks</source>
        <translation>Проверки качества</translation>
    </message>
    <message>
        <source>All regions</source>
        <translation>Все регионы</translation>
    </message>
    <message>
        <source>intervals for a {0} random sample</source>
        <translation>интервалы для случайной выборки ({0})</translation>
    </message>
    <message>
        <source>no sample declared: no intervals</source>
        <translation>выборка не задана: интервалов нет</translation>
    </message>
    <message>
        <source>{0}: {1} reports from {2} stations; {3}.</source>
        <translation>{0}: отчетов — {1}, участков — {2}; {3}.</translation>
    </message>
    <message>
        <source>its finding</source>
        <translation>его нарушение</translation>
    </message>
    <message>
        <source>all regions</source>
        <translation>все регионы</translation>
    </message>
    <message>
        <source>{0} reports behind {1} = {2} ({3}):</source>
        <translation>Отчетов за «{1} = {2}» ({3}): {0}</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Участки</translation>
    </message>
    <message>
        <source>Visited</source>
        <translation>Посещено</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчеты</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>Черновики</translation>
    </message>
    <message>
        <source>Not visited</source>
        <translation>Не посещены</translation>
    </message>
    <message numerus="yes">
        <source>and %n more</source>
        <translation>
            <numerusform>и еще %n</numerusform>
            <numerusform>и еще %n</numerusform>
            <numerusform>и еще %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the report (Enter or double-click)</source>
        <translation>Открыть отчет (Enter или двойной щелчок)</translation>
    </message>
    <message>
        <source>{0}: {1} reports from {2} stations.</source>
        <translation>{0}: отчетов — {1}, участков — {2}.</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% интервал</translation>
    </message>
    <message>
        <source>{0} — {1} of {2} stations answering, {3} reports ({4:.1f}%){5}.</source>
        <translation>{0} — участков: {1} из {2} ответивших; отчетов: {3} ({4:.1f}%){5}.</translation>
    </message>
    <message>
        <source>No finding in these reports.</source>
        <translation>В этих отчетах нарушений нет.</translation>
    </message>
</context>
<context>
    <name>_DateEdit</name>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>ГГГГ-ММ-ДД</translation>
    </message>
    <message>
        <source>Choose the date on a calendar</source>
        <translation>Выбрать дату в календаре</translation>
    </message>
</context>
<context>
    <name>_TimeEdit</name>
    <message>
        <source>HH:MM</source>
        <translation>ЧЧ:ММ</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Сейчас</translation>
    </message>
    <message>
        <source>Fill in the time now</source>
        <translation>Поставить текущее время</translation>
    </message>
</context>
</TS>
