-- ~/.config/hexe/init.lua

-- POD Isolation
hexe.ses.isolation.set({
  profile = "balanced",
  memory = "2G",
  pids = 1000,
  cpu = "200000 100000",  -- 2 cores
})

-- SES Layouts
hexe.ses.layout.define({
  name = "default",
  enabled = true,
  floats = {
    {
      key = "1",
      title = "editor",
      command = "/usr/bin/nvim",
      attributes = { per_cwd = true },
    },
    {
      key = "2",
      title = "browser",
      command = "/usr/bin/firefox",
      attributes = { per_cwd = false },
    },
  },
})
