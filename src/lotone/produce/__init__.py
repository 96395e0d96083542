"""Make to order: work orders (BOM, routing, QC plan), the factory model, roll-ups, orders."""
