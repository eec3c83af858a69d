"""Maintainer concentration: truck factor (Avelino et al. 2016), contributor absence, pony and elephant
factors, commit concentration and activity. Pure functions of literal inputs; :mod:`.step` does the I/O."""
