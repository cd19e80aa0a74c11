"""Where bytes come from, and what they are: the files (and zip members) a PATH argument means, read once and
hashed (files), the format each holds, told from its first bytes (sniff), and bytes made text (decoding).

Sources know nothing of parsers' insides or of the database: the pipeline takes a Source from here to a parser
(formats, in workers) and its record to the store."""

from blogimport.sources.files import Source, discover, file_signature
from blogimport.sources.sniff import SNIFF_BYTES, sniff

__all__ = ["SNIFF_BYTES", "Source", "discover", "file_signature", "sniff"]
