"""Text as people write it: transcripts into speaker turns, spoken forms, languages, the parse for line breaks."""
