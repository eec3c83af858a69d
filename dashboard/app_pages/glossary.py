"""Glossary: every score and class the dashboard shows, explained once."""

import streamlit as st

from dashboard.glossary import GLOSSARY

st.title("Glossary")
st.caption("What each score, class and word on these pages means. Pages show the same texts as help (?).")
for name in sorted(GLOSSARY, key=str.lower):
    st.markdown(f"**{name}**")
    st.text(GLOSSARY[name])
