package main

// The first file of the package by name, so that Go 1.19, which
// initialises imports in file order, also runs localeenv before Fyne's
// lang package reads the locale (newer Go sorts by import path).
import _ "app.maildoctor/localeenv"
