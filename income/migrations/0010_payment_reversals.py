"""A payment with a negative gross is a refund, chargeback or reversal.

Receipts keep the old rules; a reversal takes its withholding tax back (gross ≤ tax ≤ 0) and
may return at most the amount reversed in fees (fees ≥ gross); its net is never positive. Existing rows all satisfy both.
"""

from decimal import Decimal

import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("income", "0009_help_articles_lowercase_du"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="payment",
            name="payment_amounts_non_negative",
        ),
        migrations.RemoveConstraint(
            model_name="payment",
            name="payment_deductions_within_gross",
        ),
        migrations.AlterField(
            model_name="payment",
            name="fees",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0"), max_digits=15, verbose_name="fees"
            ),
        ),
        migrations.AlterField(
            model_name="payment",
            name="gross",
            field=models.DecimalField(
                decimal_places=2,
                help_text="Negative for a refund, chargeback or reversal.",
                max_digits=15,
                verbose_name="gross",
            ),
        ),
        migrations.AlterField(
            model_name="payment",
            name="tax_withheld",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("0"), max_digits=15, verbose_name="tax withheld"
            ),
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("gross__lt", 0),
                    models.Q(
                        ("fees__gte", 0),
                        (
                            "gross__gte",
                            django.db.models.expressions.CombinedExpression(
                                models.F("tax_withheld"), "+", models.F("fees")
                            ),
                        ),
                        ("tax_withheld__gte", 0),
                    ),
                    _connector="OR",
                ),
                name="payment_receipt_amounts",
                violation_error_message="Tax withheld and fees of a received payment cannot be negative or together exceed its gross.",
            ),
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("gross__gte", 0),
                    models.Q(
                        ("fees__gte", models.F("gross")),
                        (
                            "gross__lte",
                            django.db.models.expressions.CombinedExpression(
                                models.F("tax_withheld"), "+", models.F("fees")
                            ),
                        ),
                        ("tax_withheld__gte", models.F("gross")),
                        ("tax_withheld__lte", 0),
                    ),
                    _connector="OR",
                ),
                name="payment_reversal_amounts",
                violation_error_message="The tax withheld of a reversal must be between the (negative) gross and zero, a returned fee may not exceed the amount reversed, and its net may not be positive.",
            ),
        ),
    ]
