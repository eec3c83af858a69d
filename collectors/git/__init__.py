"""The git collector: safe repository locations, clone/fetch, history mining, identities, file filters and
funding files read from repositories. Pure parsing lives in small modules; :mod:`collectors.git.step` runs
them for every repository of the store."""
