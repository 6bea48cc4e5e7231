import LearningLog
import TerminalUI

/// The whole app as one program: routes input to the overlay, the form or the current screen,
/// applies actions, and draws the tabs bar, the view, the status line and the hint bar.
public struct AppModel: ProgramModel {
  public typealias State = AppState
  public typealias Action = AppAction
  public typealias Effect = RootEffect

  /// Below this size the app shows how big the terminal must be.
  public static let minimumSize = Size(width: 60, height: 16)

  /// The app.
  public init() {}

  public func tickAction(_ state: AppState) -> AppAction? { .tick }

  public func isFinished(_ state: AppState) -> Bool { state.isQuitting }

  // MARK: Input

  public func action(for event: InputEvent, in state: AppState) -> AppAction? {
    switch event {
    case .resize(let size): return .resize(size)
    case .paste(let text):
      if case .palette = state.overlay { return .palette(.paste(text)) }
      if case .help = state.overlay, state.helpSearch?.isTyping == true {
        return .helpSearch(.paste(text))
      }
      if state.form != nil, state.overlay == nil { return .form(.paste(text)) }
      return Self.screen(state)?.action(forPaste: text, in: state)
    case .mouse(let m): return mouseAction(m, state)
    case .key(let key): return keyAction(key, state)
    }
  }

  func keyAction(_ key: KeyEvent, _ state: AppState) -> AppAction? {
    if TooSmallView.isTooSmall(state.size, required: Self.minimumSize) {
      return key == .char("q") || key == .ctrl("c") ? .global(.quit) : nil
    }
    for keymap in keymaps(state) {
      if let action = keymap.action(for: key) { return action }
    }
    return nil
  }

  /// The key tables live in `state`, in the order they are asked.
  ///
  /// The first that binds a key acts; dispatch, help and the hint bar all come from these.
  public func keymaps(_ state: AppState) -> [KeymapContext<AppAction>] {
    switch state.overlay {
    case .confirm: return [AppKeymaps.confirm, AppKeymaps.always]
    case .leaveForm: return [AppKeymaps.leaveForm, AppKeymaps.always]
    case .help:
      if state.helpSearch?.isTyping == true {
        return [Self.helpSearchTypingKeys, AppKeymaps.always]
      }
      if state.helpSearch != nil {
        return [
          Self.helpSearchKeptKeys, AppKeymaps.help, Self.helpSearchStartKeys, AppKeymaps.always,
        ]
      }
      return [AppKeymaps.help, Self.helpSearchStartKeys, AppKeymaps.always]
    case .messages: return [AppKeymaps.help, AppKeymaps.always]
    case .palette: return [Self.paletteKeymap, AppKeymaps.always]
    case .privateSpace: return [AppKeymaps.privateSpace, AppKeymaps.always]
    case nil: break
    }
    if let f = state.form { return [AppKeymaps.form(for: f), AppKeymaps.always] }
    let screen = screenKeymap(state)
    // While a screen takes text, only its own keys (and quitting, redrawing) are live.
    if isCapturing(state) { return [screen, AppKeymaps.always] }
    let welcome = TodayScreen.isEmptyLog(state.context.domain) ? [AppKeymaps.welcome] : []
    return welcome + [AppKeymaps.global, screen]
  }

  /// The current screen's active key table, as the root's.
  func screenKeymap(_ state: AppState) -> KeymapContext<AppAction> {
    Self.screen(state)?.keymap(state) ?? KeymapContext("none", [])
  }

  /// The registered screen of the tab shown.
  static func screen(_ state: AppState) -> ScreenRegistration? {
    ScreenRegistry.screen(state.tab)
  }

  /// `keymaps` as help shows them: a binding whose every key an earlier table takes is left
  /// out, since pressing it does something else.
  public static func reachable(_ keymaps: [KeymapContext<AppAction>]) -> [KeymapContext<AppAction>]
  {
    var taken = Set<KeyEvent>()
    var out: [KeymapContext<AppAction>] = []
    for var keymap in keymaps {
      keymap.bindings = keymap.bindings.filter { !$0.keys.allSatisfy(taken.contains) }
      taken.formUnion(keymap.keys)
      out.append(keymap)
    }
    return out
  }

  /// Whether `overlay` is a scrolling listing (help or the messages).
  static func isListing(_ overlay: Overlay) -> Bool {
    switch overlay {
    case .help, .messages, .privateSpace: return true
    case .confirm, .leaveForm, .palette: return false
    }
  }

  func isCapturing(_ state: AppState) -> Bool {
    Self.screen(state)?.isCapturingInput(state) ?? false
  }

  /// Each tab's title and the columns it takes in a tabs bar `width` cells wide (padded when
  /// there is room, tight on narrow terminals).
  static func tabItems(width: Int) -> [(tab: AppTab, text: String, columns: Range<Int>)] {
    let padded = width >= 76
    var x = 0
    var out: [(AppTab, String, Range<Int>)] = []
    for (i, screen) in ScreenRegistry.all.enumerated() {
      if i > 0 { x += padded ? 2 : 1 }
      let name = padded ? screen.title : screen.shortTitle
      let key = screen.tab.rawValue
      let text = padded ? " \(key) \(name) " : "\(key) \(name)"
      let w = text.displayWidth
      out.append((screen.tab, text, x..<(x + w)))
      x += w
    }
    return out
  }

  func mouseAction(_ m: MouseEvent, _ state: AppState) -> AppAction? {
    guard !TooSmallView.isTooSmall(state.size, required: Self.minimumSize) else { return nil }
    if state.overlay.map(Self.isListing) == true {
      switch m.action {
      case .wheelDown: return .helpScroll(3)
      case .wheelUp: return .helpScroll(-3)
      default: return nil
      }
    }
    guard state.overlay == nil else { return nil }
    let layout = Self.layout(state.size)
    if let f = state.form {
      // A click on a field's label or rows gives it the focus.
      guard case .press(button: 1) = m.action else { return nil }
      return FormRenderer.field(at: m.position, f, context: state.context, area: layout.body)
        .map { .form(.focus($0)) }
    }
    if m.position.y == layout.tabs.y, case .press(button: 1) = m.action {
      return Self.tabItems(width: state.size.width).first { $0.columns.contains(m.position.x) }
        .map { .global(.show($0.tab)) }
    }
    guard layout.body.contains(m.position) else { return nil }
    return Self.screen(state)?.action(for: m, area: layout.body, in: state)
  }

  // MARK: Reduce

  public func reduce(_ state: inout AppState, _ action: AppAction) -> [RootEffect] {
    // The state as it was is kept only on a read-only log: a copy held while a key edits a
    // form's text would make the edit copy the whole text (a megabyte pasted: each key).
    let before = state.readOnly == nil ? nil : state
    let effects = reduceAction(&state, action)
    guard let why = state.readOnly else { return effects }
    // A dialog or form that leads to a write is refused at the key that opens it, before
    // anything is typed into it: the state stays as it was, with the one line.
    if let before, !Self.isOpeningWrite(before), Self.isOpeningWrite(state) {
      state = before
      state.status = StatusMessage(Self.readOnlyRefusal(why, state.context.logs))
      return []
    }
    // On a read-only log every write a key asks for is refused here, with one line.
    return effects.filter { effect in
      switch effect {
      case .app(.perform), .app(.performAll), .app(.loadDemo):
        state.status = StatusMessage(Self.readOnlyRefusal(why, state.context.logs))
        return false
      default: return true
      }
    }
  }

  /// Whether a form, or a screen's dialog or form that saves, is open.
  static func isOpeningWrite(_ state: AppState) -> Bool {
    state.form != nil || ScreenRegistry.all.contains { $0.isOpeningWrite(state) }
  }

  func reduceAction(_ state: inout AppState, _ action: AppAction) -> [RootEffect] {
    state.context.viewport = Self.layout(state.size).body.size
    if action.isInput { state.status = nil }
    switch action {
    case .global(let g): return reduceGlobal(&state, g)
    case .screen(let tab, let a):
      guard let screen = ScreenRegistry.screen(tab), let out = screen.reduce(&state, a) else {
        return []
      }
      return handle(&state, out)
    case .form(let input): return reduceForm(&state, input)
    case .palette(let input): return reducePalette(&state, input)
    case .helpSearch(let input): return reduceHelpSearch(&state, input)
    case .helpScroll(let d):
      switch state.overlay {
      case .help(let s): state.overlay = .help(scroll: Swift.max(0, s + d))
      case .messages(let s): state.overlay = .messages(scroll: Swift.max(0, s + d))
      case .privateSpace(let notes, let s):
        state.overlay = .privateSpace(notes, scroll: Swift.max(0, s + d))
      default: break
      }
    case .closeOverlay:
      state.overlay = nil
    case .confirm(let yes): return reduceConfirm(&state, yes)
    case .leaveForm(let choice): return reduceLeave(&state, choice)
    case .resize(let size):
      state.size = size
    case .tick:
      if var status = state.status {
        status.ticks += 1
        state.status = status.ticks >= status.lifetime ? nil : status
      }
      // An idle tick: the text typed since the draft was last kept is kept now.
      return dirtyDraftEffects(&state) + [.refresh]
    case .draftDue:
      return dirtyDraftEffects(&state)
    case .logChanged(let domain):
      let old = state.context
      state.context = ViewContext(domain: domain, today: old.today, theme: old.theme)
      state.context.logs = old.logs
      state.context.revision = old.revision + 1
      state.context.viewport = old.viewport
      state.logVersion += 1
      // Selections follow their item, not their row, when others' records shift the lists.
      for screen in ScreenRegistry.all { screen.follow(&state, from: old) }
    case .performed(let purpose, let createdID):
      var effects: [RootEffect] = []
      if let key = state.form?.draftKey {
        state.keptDrafts[key] = nil
        effects.append(.app(.discardDraft(key: key)))
      }
      let kind = state.form?.kind
      state.form = nil
      state.status = StatusMessage(
        "saved: \(purpose)" + Self.nextStep(after: kind, createdID, state))
      if case .newIncident = kind, let id = createdID {
        effects += navigate(&state, .incident(id))
      }
      return effects
    case .performFailed(_, let message):
      state.board.follow = nil
      state.status = StatusMessage("error: \(message)")
    case .logsLabelled(let labels):
      state.context.logs = labels
    case .becameReadOnly(let why):
      state.readOnly = why
    case .editorReturned(let field, let text):
      guard state.form != nil else { return [] }
      state.form?.form.setValue(field, text)
      return markDraft(&state)
    case .navigate(let destination): return navigate(&state, destination)
    case .setStatus(let text):
      state.status = text.isEmpty ? nil : StatusMessage(text)
    case .showPrivateSpace(let notes):
      state.overlay = .privateSpace(notes, scroll: 0)
    case .addPrivateNote:
      state.overlay = nil
      open(&state, .addPrivateNote)
      // About the incident of what is selected on the screen shown, else none: it can be typed.
      let about = Self.screen(state)?.selectedIncident(state)
      if let about, state.form?.value("incident").isEmpty == true {
        state.form?.form.setValue("incident", state.context.shortID(about))
        // Filled in, not typed: the form starts from it (leaving it untouched asks nothing).
        if let f = state.form {
          state.form = ActiveForm(kind: f.kind, title: f.title, form: f.form)
        }
      }
    }
    return []
  }

  func reduceGlobal(_ state: inout AppState, _ g: GlobalCommand) -> [RootEffect] {
    switch g {
    case .help: state.overlay = .help(scroll: 0)
    case .messages: state.overlay = .messages(scroll: 0)
    case .palette: state.overlay = .palette(CommandPalette())
    case .privateSpace: return [.app(.openPrivateSpace)]
    case .quit: state.isQuitting = true
    case .show(let tab):
      state.tab = tab
    case .redraw:
      state.redrawCount += 1
      return [.redraw]
    case .loadDemo:
      if let why = state.readOnly {
        state.status = StatusMessage(Self.readOnlyRefusal(why, state.context.logs))
        return []
      }
      guard TodayScreen.isEmptyLog(state.context.domain) else {
        state.status = StatusMessage("error: the demo loads only into an empty log")
        return []
      }
      return [.app(.loadDemo)]
    }
    return []
  }

  /// Handles what a screen's reducer returned: its requests to the root at once, its work for
  /// the runtime as effects.
  func handle(_ state: inout AppState, _ outputs: [ScreenEffect]) -> [RootEffect] {
    var effects: [RootEffect] = []
    for output in outputs {
      switch output {
      case .delegate(.show(let destination)): effects += navigate(&state, destination)
      case .delegate(.status(let text)): state.status = text.isEmpty ? nil : StatusMessage(text)
      case .run(let effect): effects.append(.app(effect))
      }
    }
    return effects
  }

  func navigate(_ state: inout AppState, _ destination: Destination) -> [RootEffect] {
    let domain = state.context.domain
    switch destination {
    case .today, .incident, .action, .lesson, .pattern, .dashboard:
      // The screen that shows it selects it; the root shows that screen.
      for screen in ScreenRegistry.all {
        if screen.reveal(destination, in: &state) {
          state.tab = screen.tab
          break
        }
      }
    case .review(let id):
      guard let inc = domain.incidents[id] else { return notFound(&state, "incident", id) }
      open(&state, .review(incident: id, template: inc.template))
    case .newIncident: open(&state, .newIncident)
    case .editIncident(let id): open(&state, .editIncident(id))
    case .setPatterns(let id): open(&state, .setPatterns(id))
    case .addAction(let id): open(&state, .addAction(incident: id))
    case .addLesson(let id): open(&state, .addLesson(incident: id))
    case .revalidateLesson(let id): open(&state, .revalidateLesson(id))
    case .addFactor(let id): open(&state, .addFactor(incident: id))
    case .addTimelineEntry(let id): open(&state, .addTimelineEntry(incident: id))
    case .changeChecklist(let id): open(&state, .changeChecklist(incident: id))
    case .changeTemplate(let id): open(&state, .changeTemplate(incident: id))
    case .form(let kind): open(&state, kind)
    }
    return []
  }

  func notFound(_ state: inout AppState, _ what: String, _ id: String) -> [RootEffect] {
    state.status = StatusMessage("error: no \(what) \(id) in the log any more")
    return []
  }

  /// Opens the form of `kind`, filled with `values` (a restored draft) or else with the draft
  /// kept earlier in this run, if any.
  func open(_ state: inout AppState, _ kind: FormKind, values: [String: String]? = nil) {
    if let why = state.readOnly {
      state.status = StatusMessage(Self.readOnlyRefusal(why, state.context.logs))
      return
    }
    guard var f = FormCatalog.make(kind, context: state.context) else {
      state.status = StatusMessage("error: what this form is about is no longer in the log")
      return
    }
    let kept = values == nil ? state.keptDrafts[kind.draftKey]?.values : nil
    if let fill = values ?? kept {
      for (k, v) in fill where !k.hasPrefix("_") { f.form.setValue(k, v) }
    }
    state.form = f
    state.status =
      kept != nil ? StatusMessage("draft restored: Ctrl-S saves it, Esc asks what to do") : nil
  }

  /// Marks the open form's draft as changed: O(1), no value gathered and nothing encoded.
  func markDraft(_ state: inout AppState) -> [RootEffect] {
    guard state.form != nil else { return [] }
    state.form?.isDraftDirty = true
    return [.app(.draftTouched)]
  }

  /// The draft effect of the open form when its text changed since the draft was last kept.
  ///
  /// Run on the idle tick, on ``AppAction/draftDue`` while typing goes on, and at exit.
  public func dirtyDraftEffects(_ state: inout AppState) -> [RootEffect] {
    guard state.form?.isDraftDirty == true else { return [] }
    state.form?.isDraftDirty = false
    return draftEffects(&state)
  }

  /// The draft effect of the form as typed now: kept when edited, forgotten when back to how
  /// it started.
  func draftEffects(_ state: inout AppState) -> [RootEffect] {
    guard let f = state.form else { return [] }
    // The values once: a field may hold a long text.
    let values = f.values
    guard values != f.initial else {
      state.keptDrafts[f.draftKey] = nil
      return [.app(.discardDraft(key: f.draftKey))]
    }
    let draft = values.merging(f.kind.draftIdentity) { _, identity in identity }
    return [.app(.saveDraft(key: f.draftKey, values: draft))]
  }

  func closeForm(_ state: inout AppState) -> [RootEffect] {
    let key = state.form?.draftKey
    state.form = nil
    state.overlay = nil
    guard let key else { return [] }
    state.keptDrafts[key] = nil
    return [.app(.discardDraft(key: key))]
  }

  /// Esc's dialog on an edited form: keep its text as a draft, throw it away, or go back.
  func reduceLeave(_ state: inout AppState, _ choice: LeaveFormChoice) -> [RootEffect] {
    guard state.overlay == .leaveForm else { return [] }
    state.overlay = nil
    guard let f = state.form else { return [] }
    switch choice {
    case .back: return []
    case .discard:
      let effects = closeForm(&state)
      state.status = StatusMessage("discarded: \(f.kind.name.title)")
      return effects
    case .keepDraft:
      state.form = nil
      state.keptDrafts[f.draftKey] = f.draft
      state.status = StatusMessage(
        "draft kept: \(f.kind.name.title) (reopen the form, or it is offered at the next start)")
      return [.app(.saveDraft(key: f.draftKey, values: f.draftValues))]
    }
  }

  /// The one line every change is refused with on a read-only log (or several logs read
  /// together, `logs`).
  static func readOnlyRefusal(_ why: String, _ logs: LogLabels? = nil) -> String {
    if let logs {
      return "error: read-only, \(logs.names.count) logs read together "
        + "(\(logs.names.joined(separator: ", "))): open one alone to change it"
    }
    return "error: the log is read-only (\(why)); nothing can be changed here — reading works"
  }

  /// What a save asks for next: a "What will we test next?" answer offers an experiment; a high
  /// or critical incident asks for a scheduled reflection.
  static func nextStep(after kind: FormKind?, _ createdID: String?, _ state: AppState) -> String {
    let domain = state.context.domain
    switch kind {
    case .review(let id, _):
      guard let inc = domain.incidents[id], inc.answer("hypothesis") != nil,
        domain.experiments(of: id).isEmpty
      else { return "" }
      return " — x on the incident turns \"What will we test next?\" into an experiment"
    case .newIncident:
      guard let id = createdID, let inc = domain.incidents[id], inc.severity >= .high else {
        return ""
      }
      return
        " — a \(inc.severity.rawValue) incident asks for time to reflect: S schedules its review"
    default:
      return ""
    }
  }

  static func purpose(_ kind: FormKind) -> String {
    switch kind {
    case .review: return "review"
    case .newIncident: return "new incident"
    case .editIncident: return "incident edit"
    case .setPatterns: return "pattern"
    case .addAction: return "action"
    case .addLesson: return "lesson"
    case .revalidateLesson: return "revalidation"
    case .addFactor: return "factor"
    case .addTimelineEntry: return "timeline entry"
    case .changeChecklist: return "checklist"
    case .changeTemplate: return "template"
    case .addExperiment: return "experiment"
    case .decideExperiment: return "experiment decision"
    case .scheduleReview: return "review schedule"
    case .retireMitigation: return "mitigation retirement"
    case .addWin: return "win"
    case .addNote: return "private note"
    case .addPrivateNote: return "private note"
    }
  }

  func reduceForm(_ state: inout AppState, _ input: FormInput) -> [RootEffect] {
    guard var f = state.form else { return [] }
    switch input {
    case .key(let key):
      // Taken out of the state while edited, so its texts are edited in place, not copied.
      state.form = nil
      let before = f.form.fields.map(\.revision)
      _ = f.form.handle(key)
      state.form = f
      // An edit changes a field's revision: no texts compared to find out.
      return f.form.fields.map(\.revision) != before ? markDraft(&state) : []
    case .paste(let text):
      state.form = nil
      f.form.paste(text)
      state.form = f
      return markDraft(&state)
    case .endOrEditor:
      if f.isCursorAtLineEnd, let field = f.focusedField {
        return [.app(.editExternally(text: field.value, field: field.id))]
      }
      _ = f.form.handle(.ctrl("e"))
      state.form = f
      return []
    case .acceptSuggestion:
      guard let key = FormRenderer.nextSuggestion(f, domain: state.context.domain) else {
        return []
      }
      let current = (f.form.value("patterns") ?? "").trimmingCharacters(in: .whitespaces)
      f.form.setValue("patterns", current.isEmpty ? key : current + ", " + key)
      state.form = f
      state.status = StatusMessage("pattern added: \(key)")
      return markDraft(&state)
    case .nextTemplate:
      guard case .review(let id, let template) = f.kind else { return [] }
      let names = state.context.domain.templates.map(\.name)
      guard let i = names.firstIndex(of: template), names.count > 1 else { return [] }
      let next = names[(i + 1) % names.count]
      guard var g = FormCatalog.make(.review(incident: id, template: next), context: state.context)
      else { return [] }
      for field in f.form.fields where g.form.fields.contains(where: { $0.id == field.id }) {
        g.form.setValue(field.id, field.value)
      }
      state.form = g
      state.status = StatusMessage("template: \(next)")
      return markDraft(&state)
    case .focus(let i):
      guard f.form.fields.indices.contains(i) else { return [] }
      f.form.focus = i
      state.form = f
      return []
    case .cancel:
      if f.isEdited {
        state.overlay = .leaveForm
        return []
      }
      return closeForm(&state)
    case .save:
      switch FormCatalog.commands(f, context: state.context) {
      case .failure(let problem):
        f.showsAllProblems = true
        f.form.focus = problem.field
        state.form = f
        state.status = StatusMessage("error: cannot save: \(problem.message)")
        return []
      case .success(let commands):
        if commands.isEmpty {
          state.status = StatusMessage("nothing changed")
          return closeForm(&state)
        }
        // One write: the log holds the whole save or none of it.
        return [.app(.performAll(commands, purpose: Self.purpose(f.kind)))]
      }
    }
  }

  func reduceConfirm(_ state: inout AppState, _ yes: Bool) -> [RootEffect] {
    guard case .confirm(let request) = state.overlay else { return [] }
    state.overlay = nil
    var effects: [RootEffect] = []
    switch request {
    case .restoreDraft(let draft):
      guard yes else {
        effects.append(.app(.discardDraft(key: draft.key)))
        break
      }
      if let kind = FormKind(draft: draft), FormCatalog.make(kind, context: state.context) != nil {
        open(&state, kind, values: draft.values)
        state.status = StatusMessage("draft restored: Ctrl-S saves it, Esc asks what to do")
      } else {
        // What it was for is gone (or the draft is unreadable): the file stays, never lost.
        state.status = StatusMessage(
          "error: what this draft was for is no longer in the log; the draft file is kept")
      }
    }
    if state.overlay == nil, state.form == nil, !state.pendingDrafts.isEmpty {
      state.overlay = .confirm(.restoreDraft(state.pendingDrafts.removeFirst()))
    }
    return effects
  }
}
