"""The bundle's one executable: ``orgmap`` (the command line; alone, the desktop app)."""

import multiprocessing

if __name__ == "__main__":
    # The app lays out large orgs in a spawned helper process; a frozen executable is
    # that process too, and freeze_support() makes it run the helper, not the app.
    multiprocessing.freeze_support()
    from orgmap.cli import console

    console()
