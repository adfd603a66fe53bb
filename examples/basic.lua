-- In ~/.config/hexe/init.lua

hexe.ses.isolation.set({
  profile = "balanced",
  memory = "1G",
  pids = 512,
  cpu = "50000 100000",
})
