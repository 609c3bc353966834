"""The profile screen: figures of one area beside its references, summary, export."""
