// The command line; with no command, in a terminal, the full-screen app (see Learnlog.run).
Learnlog.main()
