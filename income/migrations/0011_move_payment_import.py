"""``PaymentImport`` moves to the ``imports`` app; its table stays ``income_paymentimport``.

State only: the model leaves this app's state here and ``imports.0001_initial`` takes it
over with ``db_table`` set to the same table, so no table, row, constraint or index
changes, and rolling back is as free.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("income", "0010_payment_reversals"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PaymentImport")],
            database_operations=[],
        ),
    ]
