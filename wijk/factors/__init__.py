"""The factor screen: protective and risk factors, outcome signals, similar buurten."""
