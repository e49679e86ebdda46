"""One module per ``orgmap`` sub-command.

Each module defines ``HELP`` (one line), ``configure(parser)`` which declares its
options, and ``run(args, env) -> int`` which does the work and returns an exit code.
``orgmap.cli`` finds them through :data:`COMMANDS` and imports only the one it runs.
"""

COMMANDS: dict[str, str] = {
    "gui": "orgmap.commands.gui",
    "validate": "orgmap.commands.validate",
    "analyze": "orgmap.commands.analyze",
    "profile": "orgmap.commands.profile",
    "html": "orgmap.commands.html",
    "export": "orgmap.commands.export",
    "sample": "orgmap.commands.sample",
    "loop-in": "orgmap.commands.loop_in",  # loopin
}
