"""The training host: the child process that holds every training session (torch lives
here, never in the window). ``protocol`` is what crosses the pipe, ``host`` the child's
request loop, ``runner`` a session's training thread, ``registry`` the ops table."""
