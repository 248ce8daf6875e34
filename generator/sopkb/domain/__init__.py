"""What the KB's content means, apart from how it is loaded, rendered or exported."""
