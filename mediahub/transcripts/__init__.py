"""Automatic transcripts made on our own machine (faster-whisper), reviewed by people."""
