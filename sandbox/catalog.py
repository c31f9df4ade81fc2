"""What the demo store sells and how it trades: currencies, products, options, gift wrapping, pickup, zones.

Hand-written records only; the arithmetic on them is in ``money``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from bigcommerce_orders_mcp.sandbox.store import JSON

__all__ = [
    "CATALOG",
    "CURRENCIES",
    "EU_ZONE",
    "GEO_COUNTRY",
    "OPTIONS",
    "PAYMENT_PROVIDERS",
    "PICKUP_LOCATION",
    "WRAPPINGS",
    "ZONES",
    "Currency",
    "OptionDef",
    "Product",
    "Wrapping",
]


@dataclass(frozen=True)
class Currency:
    """A currency the store trades in, with its rate from the store's default (USD)."""

    code: str
    id: int
    rate: Decimal  # store default (USD) -> this currency
    quantum: Decimal  # smallest unit used when rounding money


CURRENCIES = {
    c.code: c
    for c in (
        Currency("USD", 1, Decimal("1"), Decimal("0.01")),
        Currency("EUR", 2, Decimal("0.92"), Decimal("0.01")),
        Currency("GBP", 3, Decimal("0.79"), Decimal("0.01")),
        Currency("CAD", 4, Decimal("1.36"), Decimal("0.01")),
        Currency("AUD", 5, Decimal("1.52"), Decimal("0.01")),
        # Yen has no minor unit: every JPY amount is whole, even though it is still rendered "1234.0000".
        Currency("JPY", 6, Decimal("150"), Decimal("1")),
    )
}


@dataclass(frozen=True)
class Product:
    """A catalog product, priced in USD."""

    product_id: int
    name: str
    sku: str
    price: Decimal  # USD
    weight: str
    brand: str = "Juniper & Pine"
    type: Literal["physical", "digital", "giftcertificate"] = "physical"
    upc: str = ""
    option_set_id: int | None = None
    key: str = ""  # catalog key when the SKU is empty (gift certificates)


CATALOG = {
    p.key or p.sku: p
    for p in (
        Product(101, "Orbit Terrarium - Large", "OTL", Decimal("109.00"), "3.0000", upc="0840123400017"),
        Product(102, "Orbit Terrarium - Small", "OTS", Decimal("89.00"), "2.0000", upc="0840123400024"),
        Product(103, "Able Brewing System", "ABS", Decimal("225.00"), "4.5000", brand="Able"),
        Product(104, "Chemex Coffeemaker 3 Cup", "CC3C", Decimal("49.50"), "1.2000", brand="Chemex"),
        Product(
            105, "Fog Linen Chambray Towel", "FLCT", Decimal("49.00"), "0.5000", brand="Fog Linen", option_set_id=19
        ),
        Product(106, "Canvas Laundry Cart", "CLC", Decimal("200.00"), "9.0000"),
        Product(107, "Tiered Wire Basket", "TWB", Decimal("119.95"), "3.4000"),
        Product(108, "Oak Cheese Grater", "OCG", Decimal("34.95"), "0.6000"),
        Product(109, "1 L Le Parfait Jar", "SLLPJ", Decimal("7.00"), "0.8000", brand="Le Parfait"),
        Product(110, "Utility Caddy", "OFSUC", Decimal("45.95"), "1.1000"),
        Product(188, "Dustpan & Brush", "DUST1", Decimal("31.95"), "2.0000", upc="1234567891112"),
        Product(112, "Ceramic Pour-over Kettle", "CPOK", Decimal("78.00"), "1.4000"),
        Product(127, "Journal", "Jour-BLK", Decimal("45.00"), "0.4000", option_set_id=24),
        Product(114, "Smith Journal 13", "SM13", Decimal("25.00"), "0.3000", brand="Smith Journal"),
        Product(115, "Linen Apron", "LAPR", Decimal("38.00"), "0.3000", option_set_id=21),
        Product(116, "Hand-thrown Mug", "HTM", Decimal("32.00"), "0.5000", option_set_id=22),
        Product(117, "Beeswax Wraps (3-pack)", "BWR3", Decimal("18.00"), "0.1000"),
        Product(118, "Walnut Serving Board", "WSB", Decimal("64.00"), "1.8000"),
        Product(119, "Brass Pour Spout Set", "BPSS", Decimal("22.00"), "0.2000"),
        Product(120, "Espresso Tamper 58 mm", "ET58", Decimal("55.00"), "0.5000"),
        Product(201, "Pour-over Brewing Guide (PDF)", "DG-POUR", Decimal("12.00"), "0.0000", type="digital"),
        Product(202, "Sourdough Masterclass (Video Course)", "DG-SOUR", Decimal("59.00"), "0.0000", type="digital"),
        Product(203, "Botanical Print Pack (Digital)", "DG-BOTA", Decimal("24.00"), "0.0000", type="digital"),
        Product(0, "$50 Gift Certificate", "", Decimal("50.00"), "0.0000", "", "giftcertificate", key="GC50"),
        Product(0, "$100 Gift Certificate", "", Decimal("100.00"), "0.0000", "", "giftcertificate", key="GC100"),
    )
}


@dataclass(frozen=True)
class OptionDef:
    """A product option (size, colour, engraving...) as the order's product rows show it."""

    option_id: int
    product_option_id: int
    display_name: str
    type: str
    name: str
    display_style: str
    values: dict[str, str] | None  # None = free text: the value is what the shopper typed


OPTIONS = {
    "Size": OptionDef(
        18, 120, "Size", "Multiple choice", "Apparel sizes", "Rectangle", {"S": "69", "M": "70", "L": "71", "XL": "72"}
    ),
    "Color": OptionDef(
        3,
        121,
        "Color",
        "Swatch",
        "Colors",
        "",
        {"Beige Stripe": "112", "Charcoal": "113", "Sage": "114", "Rust": "115"},
    ),
    "Glaze": OptionDef(
        41,
        125,
        "Glaze",
        "Multiple choice",
        "Mug glazes",
        "Dropdown",
        {"Celadon": "130", "Tenmoku": "131", "Shino": "132"},
    ),
    "Engraving": OptionDef(37, 122, "Add Letters", "Text field", "Add Letters", "", None),
    "Gift": OptionDef(38, 123, "Is this a gift?", "Checkbox", "Gift Wrapping $5", "", {"Yes": "104"}),
}

PICKUP_LOCATION: JSON = {
    "id": 1,
    "name": "East Austin Studio",
    "code": "JP-ATX-1",
    "address_line_1": "1108 E 6th Street",
    "address_line_2": "Unit B",
    "city": "Austin",
    "state": "Texas",
    "postal_code": "78702",
    "country_alpha2": "US",
    "email": "studio@juniperandpine.example",
    "phone": "+1 512-555-0100",
}

ZONES = {
    "US": (1, "United States"),
    "CA": (4, "Canada"),
    "GB": (3, "United Kingdom"),
    "AU": (5, "Australia & New Zealand"),
    "JP": (6, "Japan"),
}
EU_ZONE = (2, "Europe")

GEO_COUNTRY = {
    "US": "United States",
    "DE": "Germany",
    "AT": "Austria",
    "ES": "Spain",
    "GR": "Greece",
    "GB": "United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
    "JP": "Japan",
    "IE": "Ireland",
}


@dataclass(frozen=True)
class Wrapping:
    """A gift wrapping the shopper can choose, charged per unit wrapped."""

    wrapping_id: int
    name: str
    cost: Decimal  # USD per unit wrapped


WRAPPINGS = {
    "kraft": Wrapping(2, "Kraft paper & twine", Decimal("5.00")),
    "linen": Wrapping(3, "Linen gift bag", Decimal("8.00")),
}


# The prefix of each payment provider's transaction ids; other methods, and an empty prefix, leave none.
PAYMENT_PROVIDERS = {"Credit Card": "pi_", "PayPal": "PAYID-", "Test Payment Gateway": ""}
