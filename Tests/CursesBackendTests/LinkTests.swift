import CursesBackend
import Testing

@Test func linksNcurses() {
  #expect(CursesBackendInfo.version.hasPrefix("ncurses"))
}
