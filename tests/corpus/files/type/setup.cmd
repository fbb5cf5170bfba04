dir
