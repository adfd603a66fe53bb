-- Maximum isolation with tight limits
hexe.ses.isolation.set({
  profile = "full",
  memory = "512M",
  cpu = "50000 100000",  -- 0.5 cores
  pids = 50,
})
