"""The scorer's offline tools: training and evaluating its bundled assets (the acceptability classifier, the
genders and capitals tables) and measuring the scorer (synthetic minimal pairs, NoCoLA). Nothing here runs while a
text is scored, so nothing here is part of the scorer fingerprint or of a dataset's build fingerprint."""
