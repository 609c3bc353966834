"""The bare Streamlit page the paint benchmark compares with: a title, a metric and one altair chart.

Deliberately nothing of Wijkbeeld (no store, no sidebar): it is the floor any Streamlit page pays.
The chart's numbers are made up (a benchmark fixture, not CBS figures).
"""

import altair as alt
import pandas as pd
import streamlit as st

st.title("Bare page")
st.metric("Benchmark fixture (made up)", 42)
frame = pd.DataFrame({"x": list(range(10)), "y": [3, 5, 2, 8, 6, 7, 4, 9, 5, 6]})
st.altair_chart(alt.Chart(frame).mark_bar().encode(x="x:O", y="y:Q"), width="stretch")
