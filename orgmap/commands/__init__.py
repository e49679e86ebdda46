"""One module per ``orgmap`` sub-command.

Each module defines ``HELP`` (one line), ``configure(parser)`` which declares its
options, and ``run(args, env) -> int`` which does the work and returns an exit code.
They are listed in :data:`orgmap.cli.COMMANDS`.
"""
