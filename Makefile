# `make install PREFIX=~/.local` builds learnlog in release mode and installs the binary, the
# man page and the bash, zsh and fish completions (see scripts/install.sh).
PREFIX ?= /usr/local

.PHONY: build test install
build:
	swift build -c release --product learnlog

test:
	swift test

install:
	scripts/install.sh "$(PREFIX)"
