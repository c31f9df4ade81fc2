"""The demo store's people: its registered customers, guests and gift recipients (hand-written records)."""

from __future__ import annotations

from dataclasses import dataclass

from bigcommerce_orders_mcp.sandbox.store import ADDRESS_KEYS, JSON

__all__ = [
    "AMARA",
    "AVA",
    "CARLOS",
    "CHLOE",
    "DALE",
    "DANIEL",
    "DIEGO",
    "ELENI",
    "ETHAN",
    "GRACE",
    "HANNAH",
    "JANE",
    "JOSE",
    "KEN",
    "KYLE",
    "LIAM",
    "MARCUS",
    "MAYA",
    "MEI",
    "NOAH",
    "NOAH_PARENTS",
    "NOAH_SISTER",
    "OLIVER",
    "PRIYA",
    "RACHEL",
    "REGISTERED_CUSTOMERS",
    "SIAN",
    "SIOBHAN",
    "SOFIA",
    "TOM",
    "ZOE",
    "Person",
]


@dataclass(frozen=True)
class Person:
    """A shopper or recipient: the address fields the API uses, and who they are to the store."""

    first_name: str
    last_name: str
    email: str
    phone: str
    street_1: str
    street_2: str
    city: str
    state: str
    zip: str
    country: str = "United States"
    country_iso2: str = "US"
    company: str = ""
    customer_id: int = 0  # 0 = guest checkout
    locale: str = "en"

    def address(self) -> JSON:
        """The person as an address object, its fields in the API's order."""
        return {key: getattr(self, key) for key in ADDRESS_KEYS}


# Registered customers
JANE = Person("Jane", "Doe", "janedoe@example.com", "1234567890", "555 East Street", "", "Austin", "Texas",
              "78108", customer_id=11)  # fmt: skip
ZOE = Person("Zoë", "Müller", "zoe.mueller@example.de", "+49 30 5550 1234", "Kastanienallee 12",
             "Hinterhaus, 3. OG", "Berlin", "Berlin", "10435", "Germany", "DE", customer_id=12,
             locale="de")  # fmt: skip
JOSE = Person("José", "Núñez", "jose.nunez@example.es", "+34 954 55 01 23", "Calle Feria 34, 2º B", "",
              "Sevilla", "Andalucía", "41003", "Spain", "ES", customer_id=14, locale="es")  # fmt: skip
KEN = Person("健", "渡辺", "ken.watanabe@example.jp", "+81 3-5550-1234", "神宮前 3-14-5", "ハイツ原宿 402",
             "渋谷区", "東京都", "150-0001", "Japan", "JP", customer_id=15, locale="ja")  # fmt: skip
ELENI = Person("Ελένη", "Παπαδοπούλου", "eleni.papadopoulou@example.gr", "+30 21 0555 0123", "Οδός Ερμού 24",
               "", "Αθήνα", "Αττική", "105 63", "Greece", "GR", customer_id=17, locale="el")  # fmt: skip
OLIVER = Person("Oliver", "Bennett", "oliver.bennett@example.co.uk", "+44 20 7946 0018",
                "Flat 4, 27 Albion Road", "", "London", "Greater London", "N16 9PS", "United Kingdom", "GB",
                customer_id=18, locale="en-GB")  # fmt: skip
CHLOE = Person("Chloé", "Tremblay", "chloe.tremblay@example.ca", "+1 514-555-0142", "4820 rue Saint-Denis",
               "App. 3", "Montréal", "Quebec", "H2J 2L6", "Canada", "CA", customer_id=19,
               locale="fr-CA")  # fmt: skip
LIAM = Person("Liam", "O'Connor", "liam.oconnor@example.com.au", "+61 3 9555 0123", "88 Brunswick Street",
              "", "Fitzroy", "Victoria", "3065", "Australia", "AU", customer_id=21, locale="en-AU")  # fmt: skip
PRIYA = Person("Priya", "Raman", "priya.raman@example.com", "206-555-0187", "1420 NW 56th St", "Apt 5",
               "Seattle", "Washington", "98107", customer_id=22)  # fmt: skip
MARCUS = Person("Marcus", "Lee", "marcus@leeanddaughters.example", "718-555-0110", "312 Flatbush Ave", "",
                "Brooklyn", "New York", "11238", company="Lee & Daughters Café", customer_id=23)  # fmt: skip
DANIEL = Person("Daniel", "Carter", "dcarter@example.net", "619-555-0133", "2750 Adams Ave", "",
                "San Diego", "California", "92116", customer_id=24)  # fmt: skip
SOFIA = Person("Sofia", "Rossi", "sofia.rossi@example.com", "312-555-0175", "1847 W Division St", "Unit 2R",
               "Chicago", "Illinois", "60622", customer_id=25)  # fmt: skip
AMARA = Person("Amara", "Okafor", "amara.okafor@example.com", "404-555-0163", "615 Ponce de Leon Ave NE", "",
               "Atlanta", "Georgia", "30308", customer_id=27)  # fmt: skip
MEI = Person("Mei", "Chen", "mei.chen@example.com", "512-555-0126", "301 West Ave", "Apt 3407", "Austin",
             "Texas", "78701", customer_id=28, locale="en-US")  # fmt: skip
SIAN = Person("Siân", "Evans", "sian.evans@example.co.uk", "+44 29 2055 0147", "23 Cathedral Road", "",
              "Cardiff", "Cardiff", "CF11 9LJ", "United Kingdom", "GB", customer_id=29, locale="cy")  # fmt: skip

# Guests and gift recipients (customer_id 0)
TOM = Person("Tom", "Nguyen", "tom.nguyen@example.org", "503-555-0119", "2305 SE Hawthorne Blvd", "",
             "Portland", "Oregon", "97214")  # fmt: skip
HANNAH = Person("Hannah", "Schmidt", "h.schmidt@example.at", "+43 1 5550 8812", "Mariahilfer Straße 88",
                "Top 14", "Wien", "Wien", "1070", "Austria", "AT", locale="de-AT")  # fmt: skip
DIEGO = Person("Diego", "Alvarez", "diego.alvarez@example.com", "305-555-0148", "1021 Brickell Bay Dr",
               "Apt 1704", "Miami", "Florida", "33131")  # fmt: skip
CARLOS = Person("Carlos", "Mendoza", "carlos.mendoza@example.com", "512-555-0191", "1901 E Cesar Chavez St",
                "", "Austin", "Texas", "78702")  # fmt: skip
RACHEL = Person("Rachel", "Kim", "rkim.marketplace@example.com", "949-555-0102", "45 Discovery", "",
                "Irvine", "California", "92618")  # fmt: skip
AVA = Person("Ava", "Thompson", "ava.t@example.com", "615-555-0177", "908 Gallatin Ave", "", "Nashville",
             "Tennessee", "37206")  # fmt: skip
NOAH = Person("Noah", "Williams", "noah.williams@example.com", "303-555-0126", "2850 Zuni St", "",
              "Denver", "Colorado", "80211")  # fmt: skip
NOAH_PARENTS = Person("Linda", "Williams", "noah.williams@example.com", "208-555-0160", "1114 N 15th St",
                      "", "Boise", "Idaho", "83702")  # fmt: skip
NOAH_SISTER = Person("Emma", "Williams", "noah.williams@example.com", "802-555-0138", "77 North Ave",
                     "Apt 3", "Burlington", "Vermont", "05401")  # fmt: skip
KYLE = Person("Kyle", "Brennan", "kbrennan77@example.com", "614-555-0104", "1550 N High St", "",
              "Columbus", "Ohio", "43201")  # fmt: skip
GRACE = Person("Grace", "Liu", "grace.liu@example.com", "510-555-0115", "4110 Telegraph Ave", "",
               "Oakland", "California", "94609")  # fmt: skip
MAYA = Person("Maya", "Patel", "maya.patel@example.com", "732-555-0169", "22 Oak Tree Rd", "", "Edison",
              "New Jersey", "08820")  # fmt: skip
ETHAN = Person("Ethan", "Brooks", "ethan.brooks@example.com", "602-555-0181", "4737 N 7th Ave", "",
               "Phoenix", "Arizona", "85013")  # fmt: skip
SIOBHAN = Person("Siobhán", "Ní Bhriain", "siobhan.nibhriain@example.ie", "+353 1 555 0142",
                 "14 Drury Street", "", "Dublin 2", "Dublin", "D02 W296", "Ireland", "IE",
                 locale="ga")  # fmt: skip
# eBay passes on a relay address, not the buyer's own.
DALE = Person("Dale", "Whitaker", "a6f3c1e9b2d84f70@members.ebay.com", "918-555-0193", "6127 S Lewis Ave", "",
              "Tulsa", "Oklahoma", "74136")  # fmt: skip

REGISTERED_CUSTOMERS = (
    JANE,
    ZOE,
    JOSE,
    KEN,
    ELENI,
    OLIVER,
    CHLOE,
    LIAM,
    PRIYA,
    MARCUS,
    DANIEL,
    SOFIA,
    AMARA,
    MEI,
    SIAN,
)
"""Everyone with a customer account; messages name the customer who wrote them."""
