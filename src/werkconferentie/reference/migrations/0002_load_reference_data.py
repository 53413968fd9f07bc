"""Fill the reference tables from the bundled files, so that `migrate` alone gives a complete database."""

from django.db import migrations


def load(apps, schema_editor):
    from werkconferentie.reference.loading import load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    # Reversing keeps the rows: the tables themselves go with 0001.
    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
