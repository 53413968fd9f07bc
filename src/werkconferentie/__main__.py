from werkconferentie.cli import main

raise SystemExit(main())
