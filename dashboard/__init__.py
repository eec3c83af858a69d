"""socle dashboard: a Streamlit app over the store, read-only."""
