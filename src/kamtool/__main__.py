from kamtool.cli import main

main()
