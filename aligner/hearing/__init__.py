"""What the audio says, without anyone's text: voice activity, the chunks the encoder sees, faster-whisper's hearing."""
