from orgmap.cli import console

console()
