"""Lead images: fetched once by the images stage, stored as a page-width copy and a thumbnail, and
served by the site; the source's image is never shown to readers directly."""
