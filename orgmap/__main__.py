from orgmap.cli import main

raise SystemExit(main())
