import ArgumentParser
import CursesBackend
import LearningLog
import LearningLogApp

print("learnlog \(CursesBackendInfo.version)")
