"""The parcels each shipped order left in, and the carriers that took them (hand-written records)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CARRIERS", "PARCELS", "Carrier", "Parcel"]


@dataclass(frozen=True)
class Carrier:
    """A carrier as shipments name it, and where its tracking pages are."""

    provider: str  # shipping_provider: one BigCommerce integrates with, or ""
    display_name: str  # shipping_provider_display_name
    tracking_carrier: str  # an AfterShip courier slug, or ""
    url: str  # the tracking page, with {number}

    def links(self, number: str) -> tuple[str, str]:
        """``(tracking_link, generated_tracking_link)``: only one is set, as the spec describes."""
        url = self.url.format(number=number)
        # BigCommerce generates the link from a provider or a carrier; without either the merchant typed one.
        return ("", url) if self.provider or self.tracking_carrier else (url, "")


CARRIERS = {
    "usps": Carrier("usps", "USPS", "", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"),
    "ups": Carrier("ups", "UPS", "", "https://www.ups.com/track?tracknum={number}"),
    "fedex": Carrier("fedex", "FedEx", "", "https://www.fedex.com/fedextrack/?trknbr={number}"),
    "royalmail": Carrier(
        "royalmail", "Royal Mail", "", "https://www.royalmail.com/track-your-item#/tracking-results/{number}"
    ),
    "auspost": Carrier("auspost", "Australia Post", "", "https://auspost.com.au/mypost/track/details/{number}"),
    "canadapost": Carrier(
        "canadapost", "Canada Post", "", "https://www.canadapost-postescanada.ca/track-reperage/en#/details/{number}"
    ),
    "dhl": Carrier("", "", "dhl-germany", "https://track.aftership.com/dhl-germany/{number}"),
    "japanpost": Carrier("", "", "japan-post", "https://track.aftership.com/japan-post/{number}"),
    "correos": Carrier("", "", "", "https://s.correosexpress.com/c?n={number}"),
    "amazon": Carrier("", "", "", "https://track.amazon.com/tracking/{number}"),
    "freight": Carrier("", "", "", "https://www.estes-express.com/myestes/shipment-tracking/?query={number}"),
}


@dataclass(frozen=True)
class Parcel:
    """One parcel of a shipped order: what went in it and with whom."""

    carrier: str
    tracking_number: str
    items: tuple[tuple[str, int], ...] = ()  # (sku, quantity); empty: every shipped item of its address
    address: int = 0  # index into the order's shipping addresses
    earlier_h: float = 0.0  # hours before the order's date_shipped, which is when its last parcel left
    cost: str = "0"  # merchant_shipping_cost: what the label cost the merchant
    comments: str = ""


# Every order with shipped items, and only those; quantities add up to each item's quantity_shipped.
PARCELS: dict[int, list[Parcel]] = {
    108: [Parcel("usps", "9400111899223197428490", cost="8.45")],
    113: [Parcel("dhl", "00340434161094042557", cost="6.99", comments="Neighbour drop-off OK (Hinterhaus, EG).")],
    121: [Parcel("royalmail", "QF412845963GB", cost="3.95", comments="Gift wrapped, note: Happy 40th, Sam!")],
    126: [Parcel("japanpost", "EJ829304715JP", comments="Room 402 written on the parcel.")],
    138: [Parcel("correos", "PQ4B7X0012345670128001", cost="7.20")],
    142: [Parcel("canadapost", "7023210039414604", cost="28.60", comments="Buzzer code 3417.")],
    # Partly shipped: the first freight drop; the brewing systems and kettles wait for the supplier.
    150: [
        Parcel(
            "freight",
            "0721508829",
            cost="212.40",
            comments="Freight drop 1 of 2, side door on Lincoln Pl. Brewing systems and kettles follow (PO 7781).",
        )
    ],
    # One parcel per address.
    167: [
        Parcel("usps", "9405511206213371853020", address=0, cost="9.10"),
        Parcel("usps", "9405511206213371853037", address=1, cost="13.75", comments="Gift wrapped for Mom & Dad."),
        Parcel("usps", "9405511206213371853044", address=2, cost="11.20"),
    ],
    176: [Parcel("amazon", "TBA312804756000", comments="Amazon order 113-4829105-6639422; label bought on Amazon.")],
    181: [Parcel("usps", "9400111206213859174622", cost="5.12", comments="Dustpan in a plain box, as asked.")],
    # Three parcels, as the order's staff notes record them.
    199: [
        Parcel("ups", "1ZJP1990000000199", (("OTL", 1),), cost="16.80", comments="Parcel 1 of 3. Fragile: glass."),
        Parcel("ups", "1ZJP1990000000200", (("OTS", 1),), cost="14.35", comments="Parcel 2 of 3. Fragile: glass."),
        Parcel("ups", "1ZJP1990000000201", (("CPOK", 1),), cost="11.90", comments="Parcel 3 of 3."),
    ],
    226: [Parcel("japanpost", "EJ830571129JP")],
    235: [Parcel("correos", "PQ4B7X0012345670131009", comments="Gift: no prices on the packing slip.")],
    239: [Parcel("auspost", "33JPN5001234501000931509", cost="24.10")],
    261: [Parcel("usps", "LZ482901735US", cost="26.15", comments="Customs form CN22: beeswax wraps, pour spouts.")],
    263: [Parcel("ups", "1ZJP2630000000263", cost="12.85", comments="Fragile: glass. Left with the concierge.")],
    266: [Parcel("royalmail", "QF530186247GB", cost="3.10", comments="Towel gift wrapped on its own, note in Welsh.")],
    267: [Parcel("usps", "9400111206213930712284", cost="9.40", comments="eBay order 17-13045-88213.")],
    # The multi-currency day (sales_day).
    269: [Parcel("ups", "1ZJP2690000000269", cost="11.40")],
    270: [Parcel("royalmail", "QF530186270GB", cost="3.10")],
    271: [Parcel("dhl", "00340434161094042719", cost="6.99")],
    273: [Parcel("correos", "PQ4B7X0012345670273004", cost="7.20")],
    # Split: the kettle left a few hours after the rest, with another carrier.
    243: [
        Parcel("usps", "9400111206213921450835", (("CC3C", 1), ("BWR3", 1)), earlier_h=5, cost="7.65"),
        Parcel("fedex", "794698765432", (("CPOK", 1),), cost="12.30", comments="Kettle shipped on its own."),
    ],
}
