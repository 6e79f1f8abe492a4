from kamtool.cli import entry

entry()
